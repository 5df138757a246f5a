/**
 * Customer service finds orders by buyer and by tracking number (GET /api/v1/admin/orders): the
 * gateway, orders and logistics on real Kafka and PostgreSQL. Shoppers place through the gateway,
 * warehouse staff pack and hand parcels over through it; the split (orders, once paid) and a
 * return on its way back (after-sales) are played by their events, sent as their owners send them.
 */
import { randomUUID } from 'node:crypto';
import { orThrow } from '@mallard/client';
import { afterSalesReturnShipped } from '@mallard/contracts';
import { dropDatabase, eventually, sendEvent, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { OrderEvents } from '../apps/gateway/src/testing/read-model-test-kit.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { ordersService } from '../apps/orders/src/service.js';
import { catalogSku, seedCatalog } from '../apps/orders/src/testing/orders-test-kit.js';
import { contractCheckedClient, fetchInContract } from './api-contract.js';

const run = uniqueSuffix();
const TEA = `tea-${run}`;
const ALICE = `alice-${run}`;
const BOB = `bob-${run}`;
/** One number on two carriers' parcels (unique per carrier only), and a return's number. */
const SHARED = `SF${run}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 30);
const RETURNED = `RT${run}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 30);
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
type Role = 'shopper' | 'admin' | 'warehouse' | 'customer-service';
const tokenOf = (user: string, role: Role, warehouses?: string[]) =>
  tokens.sign({ sub: user, roles: [role], ttlSeconds: 3600, ...(warehouses ? { warehouses } : {}) });
const receiver = { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } };

describe('customer service’s order search, by buyer and by tracking number', () => {
  let orders: TestService;
  let logistics: TestService;
  let gateway: TestService;
  const as = (user: string, role: Role, warehouses?: string[]) => contractCheckedClient(gateway.url, tokenOf(user, role, warehouses));
  const desk = () => as(`cs-${run}`, 'customer-service');
  const byId = (id: string) => ({ params: { path: { id } } });
  let aliceFirst: string;
  let aliceSecond: string;
  let bobs: string;

  const place = async (buyer: string, quantity: number): Promise<string> => {
    const order = await eventually(
      () => as(buyer, 'shopper').POST('/api/v1/orders', { body: { lines: [{ skuId: TEA, quantity }], receiver, paymentMethod: 'ONLINE' } }),
      (answer) => answer.response.status === 201,
    ).then(orThrow);
    return order.id;
  };

  /** Splits the order into one sub-order of warehouse wh-0, then packs it in one parcel handed to `carrierCode`. */
  const ship = async (buyer: string, orderId: string, carrierCode: string, trackingNumber: string) => {
    const events = new OrderEvents(buyer, orderId);
    await events.split(1);
    const picker = as(`picker-${run}`, 'warehouse', ['wh-0']);
    const subOrder = await eventually(
      async () => picker.GET('/api/v1/warehouse/sub-orders/{id}', byId(events.subOrderId(0))),
      (answer) => answer.response.status === 200,
    ).then(orThrow);
    orThrow(await picker.POST('/api/v1/warehouse/sub-orders/{id}/pick', byId(subOrder.id)));
    const packed = orThrow(
      await picker.POST('/api/v1/warehouse/sub-orders/{id}/pack', {
        ...byId(subOrder.id),
        body: { parcels: [{ lines: subOrder.lines.map(({ lineId, quantity }) => ({ lineId, quantity })) }] },
      }),
    );
    orThrow(
      await picker.POST('/api/v1/warehouse/parcels/{id}/handover', {
        ...byId(packed.parcels[0].id),
        body: { carrierCode, trackingNumber },
      }),
    );
    return events;
  };

  beforeAll(async () => {
    [orders, logistics] = await Promise.all([
      startTestService(ordersService, { PAYMENT_WINDOW_SECONDS: '3600' }),
      startTestService(logisticsService),
    ]);
    await seedCatalog(orders, [catalogSku(TEA, { name: 'Tea', priceMinor: 3000 })]);
    gateway = await startTestService(gatewayService, { ORDERS_URL: orders.url, LOGISTICS_URL: logistics.url, RATE_LIMIT_PER_MINUTE: '0' });

    aliceFirst = await place(ALICE, 3);
    aliceSecond = await place(ALICE, 1);
    bobs = await place(BOB, 2);
    await ship(ALICE, aliceFirst, 'sf-express', SHARED);
    // Bob's parcel, handed over later, carries the same number on another carrier.
    await ship(BOB, bobs, 'zto', SHARED);
    // Alice sends part of her second order back: after-sales names the parcel, logistics follows it.
    await sendEvent(afterSalesReturnShipped, aliceSecond, {
      requestId: randomUUID(),
      orderId: aliceSecond,
      buyerId: ALICE,
      merchantId: 'mall',
      type: 'RETURN_AND_REFUND',
      reason: 'CHANGED_MIND',
      sellerAtFault: false,
      from: 'APPROVED',
      state: 'RETURN_SHIPPED',
      version: 3,
      lines: [{ subOrderId: randomUUID(), lineId: randomUUID(), skuId: TEA, quantity: 1 }],
      actor: { kind: 'SHOPPER', id: ALICE },
      returnParcel: { carrierCode: 'sf-express', trackingNumber: RETURNED, bookedBy: 'SHOPPER' },
      occurredAt: new Date().toISOString(),
    });
  });

  afterAll(async () => {
    for (const service of [gateway, logistics, orders]) {
      if (!service) continue;
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  const search = async (query: { buyerId?: string; trackingNumber?: string; page?: number; pageSize?: number }) =>
    orThrow(await desk().GET('/api/v1/admin/orders', { params: { query } }));
  const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

  it('lists a buyer’s orders newest first, paged, each with its buyer and the status the shopper sees', async () => {
    // What Alice's own list says, read until the read model has caught up with the parcels.
    const [all, own] = await eventually(
      () => Promise.all([search({ buyerId: ALICE }), as(ALICE, 'shopper').GET('/api/v1/orders').then(orThrow)]),
      ([staff, shopper]) => JSON.stringify(staff.items.map(({ buyerId: _, ...item }) => item)) === JSON.stringify(shopper.items),
    );
    expect([all.total, all.page, all.pageSize, ids(all)]).toEqual([2, 1, 20, [aliceSecond, aliceFirst]]);
    expect(all.items).toEqual(own.items.map((item) => ({ ...item, buyerId: ALICE })));
    const first = orThrow(await desk().GET('/api/v1/orders/{id}', byId(aliceFirst)));
    expect(all.items[1]).toMatchObject({ itemCount: 3, currency: 'CNY', payable: first.amounts.payable, placedAt: first.placedAt });

    const second = await search({ buyerId: ALICE, page: 2, pageSize: 1 });
    expect([second.total, ids(second)]).toEqual([2, [aliceFirst]]);
    expect(ids(await search({ buyerId: ALICE, page: 3, pageSize: 1 }))).toEqual([]);
    expect(await search({ buyerId: `nobody-${run}` })).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
    // Admins may search too; a name with any characters is a buyer id like another.
    expect((await as(`admin-${run}`, 'admin').GET('/api/v1/admin/orders', { params: { query: { buyerId: BOB } } })).data?.items).toEqual([
      expect.objectContaining({ id: bobs, buyerId: BOB, itemCount: 2 }),
    ]);
    expect((await search({ buyerId: '张伟 & co/?' })).total).toBe(0);
  });

  it('finds the orders of the parcels carrying a tracking number, sent or coming back, the newest parcel first', async () => {
    // The status is the read model's, which may still be applying the shipment's events: both
    // answers are read until they agree, then compared whole.
    const [shared, whole] = await eventually(
      async () => [await search({ trackingNumber: SHARED }), orThrow(await desk().GET('/api/v1/orders/{id}', byId(aliceFirst)))] as const,
      ([page, order]) => JSON.stringify([page.items[1]?.status, page.items[1]?.flags]) === JSON.stringify([order.status, order.flags]),
    );
    expect([shared.total, shared.items.map((item) => [item.id, item.buyerId])]).toEqual([
      2,
      [
        [bobs, BOB],
        [aliceFirst, ALICE],
      ],
    ]);
    // The order as GET /api/v1/orders/{id} has it, in a list's few fields.
    expect(shared.items[1]).toEqual({
      id: aliceFirst,
      buyerId: ALICE,
      status: whole.status,
      flags: whole.flags,
      state: whole.state,
      stateReason: whole.stateReason,
      currency: whole.currency,
      payable: whole.amounts.payable,
      itemCount: 3,
      placedAt: whole.placedAt,
    });
    expect(ids(await search({ trackingNumber: SHARED, page: 2, pageSize: 1 }))).toEqual([aliceFirst]);

    const returned = await eventually(
      () => search({ trackingNumber: RETURNED }),
      (page) => page.total > 0,
    );
    expect(ids(returned)).toEqual([aliceSecond]);
    expect(await search({ trackingNumber: 'NOSUCH0000' })).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
  });

  it('refuses neither key, both, and malformed values with 400 problem+json, and anyone but staff', async () => {
    const asked = async (query: string, token = tokenOf(`cs-${run}`, 'customer-service')) => {
      const answer = await fetchInContract(`${gateway.url}/api/v1/admin/orders${query}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await answer.json()) as { type?: string; errors?: { field: string }[] };
      return {
        status: answer.status,
        contentType: answer.headers.get('content-type'),
        type: body.type,
        fields: body.errors?.map((e) => e.field),
      };
    };
    const invalid = 'https://mallard.dev/problems/validation-failed';
    expect(await asked('')).toEqual({
      status: 400,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      type: invalid,
      fields: ['buyerId', 'trackingNumber'],
    });
    expect(await asked(`?buyerId=${ALICE}&trackingNumber=${SHARED}`)).toMatchObject({ status: 400, type: invalid });
    expect(await asked('?trackingNumber=SF%201')).toMatchObject({ status: 400, type: invalid, fields: ['trackingNumber'] });
    expect(await asked('?buyerId=')).toMatchObject({ status: 400, type: invalid, fields: ['buyerId'] });
    expect(await asked(`?buyerId=${ALICE}&pageSize=101`)).toMatchObject({ status: 400, type: invalid, fields: ['pageSize'] });
    expect(await asked(`?buyerId=${ALICE}&page=0`)).toMatchObject({ status: 400, type: invalid, fields: ['page'] });
    expect(await asked(`?buyerId=${ALICE}&sort=asc`)).toMatchObject({ status: 400, type: invalid });

    expect((await asked(`?buyerId=${ALICE}`, tokenOf(ALICE, 'shopper'))).status).toBe(403);
    expect((await asked(`?trackingNumber=${SHARED}`, tokenOf(`picker-${run}`, 'warehouse', ['wh-0']))).status).toBe(403);
    expect((await fetchInContract(`${gateway.url}/api/v1/admin/orders?buyerId=${ALICE}`)).status).toBe(401);
  });
});
