/**
 * End to end through the gateway, as a mall front end and its back office use Mallard:
 * gateway + orders + inventory + payments on real Kafka and PostgreSQL, in one world of topics.
 */
import { orThrow } from '@mallard/client';
import { dropDatabase, eventually, queryDatabase, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { checkout } from '../libs/client/examples/checkout.js';
import { contractCheckedClient } from './api-contract.js';

const run = uniqueSuffix();
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
const tokenFor = (sub: string, role: 'shopper' | 'admin' | 'warehouse' = 'shopper') =>
  tokens.sign({ sub, roles: [role], ttlSeconds: 3600 });
const receiver = { name: 'Han Meimei', phone: '+8613900000000', address: { country: 'CN', city: 'Suzhou', street: '8 Garden Lane' } };

describe('checkout through the gateway', () => {
  let inventory: TestService;
  let orders: TestService;
  let payments: TestService;
  let gateway: TestService;

  // Every answer goes through libs/client, as a front end's would, and is held to docs/openapi.json.
  const as = (user: string, role: 'shopper' | 'admin' | 'warehouse' = 'shopper') =>
    contractCheckedClient(gateway.url, tokenFor(user, role));
  const anonymous = () => contractCheckedClient(gateway.url);
  const admin = () => as(`admin-${run}`, 'admin');
  const byId = (id: string) => ({ params: { path: { id } } });

  const place = (shopper: string, lines: { skuId: string; quantity: number }[]) =>
    as(shopper).POST('/api/v1/orders', { body: { lines, receiver, paymentMethod: 'ONLINE' } });
  const orderOf = async (shopper: string, id: string) => orThrow(await as(shopper).GET('/api/v1/orders/{id}', byId(id)));
  const stockOf = async (skuId: string) => orThrow(await admin().GET('/api/v1/admin/skus/{id}/stock', byId(skuId)));
  const grantPoints = async (buyerId: string, points: number) =>
    expect((await admin().POST('/api/v1/admin/points/grants', { body: { buyerId, points, reason: 'welcome' } })).response.status).toBe(201);

  const sku = (name: string) => `${name}-${run}`;
  const TEA = sku('tea');
  const CUP = sku('cup');
  const LIMITED = sku('limited');

  beforeAll(async () => {
    inventory = await startTestService(inventoryService, { STOCK_HOLD_TTL_SECONDS: '3600' });
    orders = await startTestService(ordersService);
    payments = await startTestService(paymentsService);
    gateway = await startTestService(gatewayService, {
      ORDERS_URL: orders.url,
      INVENTORY_URL: inventory.url,
      PAYMENTS_URL: payments.url,
      RATE_LIMIT_PER_MINUTE: '0',
    });

    const staff = admin();
    const saved = (answer: { response: Response }) => expect(answer.response.status).toBeLessThan(300);
    saved(
      await staff.PUT('/api/v1/admin/merchants/{id}', {
        ...byId(`mall-${run}`),
        body: { name: 'The Mall', defaultStockPolicy: 'RESERVE_ON_ORDER' },
      }),
    );
    const potterContact = { phone: '+86 (21) 5555-0000', chatUrl: 'https://chat.example.com/potter' };
    const potter = await staff.PUT('/api/v1/admin/merchants/{id}', {
      ...byId(`potter-${run}`),
      body: { name: 'Potter', defaultStockPolicy: 'DEDUCT_ON_PAYMENT', customerService: potterContact },
    });
    saved(potter);
    // The gateway forwards the customer-service contact to inventory as sent.
    expect(potter.data?.customerService).toEqual(potterContact);
    saved(
      await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(`east-${run}`), body: { name: 'East', fulfilmentType: 'SELF_OPERATED' } }),
    );
    saved(
      await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(`west-${run}`), body: { name: 'West', fulfilmentType: 'SELF_OPERATED' } }),
    );
    saved(
      await staff.PUT('/api/v1/admin/warehouses/{id}', {
        ...byId(`potter-${run}`),
        body: { name: 'Potter workshop', merchantId: `potter-${run}`, fulfilmentType: 'DROP_SHIP' },
      }),
    );
    const base = { currency: 'CNY', onShelf: true };
    saved(
      await staff.PUT('/api/v1/admin/skus/{id}', {
        ...byId(TEA),
        body: { ...base, merchantId: `mall-${run}`, name: 'Tea', priceMinor: 3000, fulfilmentType: 'SELF_OPERATED' },
      }),
    );
    saved(
      await staff.PUT('/api/v1/admin/skus/{id}', {
        ...byId(CUP),
        body: { ...base, merchantId: `potter-${run}`, name: 'Cup', priceMinor: 4500, fulfilmentType: 'DROP_SHIP' },
      }),
    );
    saved(
      await staff.PUT('/api/v1/admin/skus/{id}', {
        ...byId(LIMITED),
        body: { ...base, merchantId: `mall-${run}`, name: 'Limited', priceMinor: 9900, fulfilmentType: 'SELF_OPERATED', scarce: true },
      }),
    );
    const receive = async (skuId: string, warehouseId: string, quantity: number) =>
      expect(
        (
          await staff.POST('/api/v1/admin/stock/movements', {
            body: { skuId, warehouseId, kind: 'RECEIPT', quantity, reason: 'opening stock' },
          })
        ).response.status,
      ).toBe(201);
    await receive(TEA, `east-${run}`, 100);
    await receive(TEA, `west-${run}`, 100);
    await receive(CUP, `potter-${run}`, 20);
    await receive(LIMITED, `east-${run}`, 30);
    await receive(LIMITED, `west-${run}`, 20);
    // Orders learns the catalog from inventory's sku.upserted events.
    await eventually(
      () =>
        queryDatabase<{ n: number }>(orders.databaseName, 'SELECT count(*)::int AS n FROM catalog_sku WHERE id = ANY($1)', [
          [TEA, CUP, LIMITED],
        ]),
      ([row]) => row.n === 3,
    );
  });

  afterAll(async () => {
    for (const service of [gateway, payments, orders, inventory]) {
      if (!service) continue;
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  it('guards the API: no token 401, wrong role 403, somebody else’s order 404', async () => {
    expect((await anonymous().GET('/api/v1/orders')).response.status).toBe(401);
    const asWarehouse = await as('w1', 'warehouse').POST('/api/v1/orders', {
      body: { lines: [{ skuId: TEA, quantity: 1 }], receiver, paymentMethod: 'ONLINE' },
    });
    expect(asWarehouse.response.status).toBe(403);
    expect(asWarehouse.response.headers.get('content-type')).toContain('application/problem+json');
    const mine = orThrow(await place('alice', [{ skuId: TEA, quantity: 1 }]));
    await eventually(
      () => orderOf('alice', mine.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    expect((await as('mallory').GET('/api/v1/orders/{id}', byId(mine.id))).response.status).toBe(404);
    expect((await as('mallory').POST('/api/v1/orders/{id}/cancel', byId(mine.id))).response.status).toBe(404);
    const invalid = await as('alice').POST('/api/v1/orders', { body: { lines: [], receiver, paymentMethod: 'ONLINE' } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.errors?.[0].field).toBe('lines');
  });

  it('holds stock for a placed order, takes payment, deducts the stock and splits the order by warehouse and fulfilment type', async () => {
    const before = (await stockOf(TEA)).totals;
    const placed = await place('bob', [
      { skuId: TEA, quantity: 150 },
      { skuId: CUP, quantity: 2 },
    ]);
    expect(placed.response.status).toBe(201);
    const held = await eventually(
      () => orderOf('bob', placed.data!.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    // 150 tea: no single warehouse has them, so two do; the deduct-on-payment cup is not held.
    expect(held.lines[0].allocations.map((a) => a.quantity).sort((a, b) => a - b)).toEqual([50, 100]);
    expect(held.lines[1].allocations).toEqual([]);
    expect((await stockOf(TEA)).totals).toMatchObject({ onHand: 200, held: before.held + 150, available: before.available - 150 });

    // Paid through the gateway with loyalty points (100 points = 1.00 by default) and a gift card.
    const card = orThrow(await admin().POST('/api/v1/admin/gift-cards', { body: { currency: 'CNY', amountMinor: 10_000 } }));
    const points = held.amounts.payable - 10_000;
    await grantPoints('bob', points);
    const paid = await as('bob').POST('/api/v1/orders/{id}/payments', {
      ...byId(held.id),
      body: {
        tenders: [
          { type: 'GIFT_CARD', code: card.code, amountMinor: 10_000 },
          { type: 'POINTS', points },
        ],
      },
    });
    expect(paid.response.status).toBe(201);
    expect(paid.data?.state).toBe('SUCCEEDED');
    const split = await eventually(
      () => orderOf('bob', held.id),
      (o) => o.state === 'SPLIT',
    );
    expect(split.subOrders.map((s) => s.fulfilmentType).sort()).toEqual(['DROP_SHIP', 'SELF_OPERATED', 'SELF_OPERATED']);
    // Logistics is not part of this suite: the order is served all the same, its shipments unknown for now.
    expect(split.shipments).toBeNull();
    // Every cent paid is in one piece of a sub-order, shipping included, and each line agrees with its pieces.
    const pieces = split.subOrders.flatMap((s) => s.lines);
    expect(pieces.reduce((n, l) => n + l.paidAmount, 0)).toBe(split.amounts.payable);
    for (const line of split.lines) {
      expect(line.paidAmount).toBe(pieces.filter((piece) => piece.lineId === line.id).reduce((n, l) => n + l.paidAmount, 0));
    }
    expect((await stockOf(TEA)).totals).toMatchObject({ onHand: 50, held: before.held, available: before.available - 150 });
    expect((await stockOf(CUP)).totals).toMatchObject({ onHand: 18, held: 0, available: 18 });
  });

  it('pays an order the moment it is placed, before payments has heard of it', async () => {
    await grantPoints('frank', 1_000_000);
    const placed = orThrow(await place('frank', [{ skuId: TEA, quantity: 1 }]));
    const paid = await as('frank').POST('/api/v1/orders/{id}/payments', {
      ...byId(placed.id),
      body: { tenders: [{ type: 'POINTS', points: placed.amounts.payable }] },
    });
    expect(paid.response.status).toBe(201);
    expect(paid.data?.state).toBe('SUCCEEDED');
    await eventually(
      () => orderOf('frank', placed.id),
      (o) => o.state === 'SPLIT',
    );
  });

  it('checks out as the README shows a front end doing it with libs/client', async () => {
    await grantPoints('henry', 1_000_000);
    const { order, payment } = await checkout(as('henry'), TEA);
    expect(payment).toMatchObject({ orderId: order.id, state: 'SUCCEEDED', amountMinor: order.amounts.payable });
    expect(orThrow(await as('henry').GET('/api/v1/me/points')).balance).toBe(1_000_000 - order.amounts.payable);
  });

  it('refuses to pay an order cancelled a moment before, whatever payments has consumed, and takes nothing', async () => {
    await grantPoints('gina', 1_000_000);
    const gina = as('gina');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const placed = orThrow(await place('gina', [{ skuId: TEA, quantity: 1 }]));
      // Every other time payments has heard of the order before the cancel, so only order.cancelled is in flight.
      if (attempt % 2 === 0) {
        await eventually(
          () => queryDatabase(payments.databaseName, 'SELECT 1 FROM payable_order WHERE order_id = $1', [placed.id]),
          (rows) => rows.length === 1,
        );
      }
      expect((await gina.POST('/api/v1/orders/{id}/cancel', byId(placed.id))).response.status).toBe(200);
      const paid = await gina.POST('/api/v1/orders/{id}/payments', {
        ...byId(placed.id),
        body: { tenders: [{ type: 'POINTS', points: placed.amounts.payable }] },
      });
      expect(paid.response.status).toBe(409);
      expect(paid.error?.type).toMatch(/order-closed$/);
    }
    expect(orThrow(await gina.GET('/api/v1/me/points')).balance).toBe(1_000_000);
  });

  it('sells exactly the stock in a flash sale of 300 shoppers for 50 units', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, index) => place(`flash-${index}`, [{ skuId: LIMITED, quantity: 1 }])),
    );
    expect(answers.every((answer) => answer.response.status === 201)).toBe(true);
    const ids = answers.map((answer) => answer.data!.id);
    const states = await eventually(
      () =>
        queryDatabase<{ state: string; n: number }>(
          orders.databaseName,
          'SELECT state, count(*)::int AS n FROM parent_order WHERE id = ANY($1) GROUP BY state',
          [ids],
        ),
      (rows) => rows.every((row) => row.state !== 'PLACED') && rows.reduce((sum, row) => sum + row.n, 0) === 300,
      { timeoutMs: 60_000 },
    );
    const count = (state: string) => states.find((row) => row.state === state)?.n ?? 0;
    expect(count('AWAITING_PAYMENT')).toBe(50);
    expect(count('CANCELLED')).toBe(250);
    expect((await stockOf(LIMITED)).totals).toMatchObject({ onHand: 50, held: 50, available: 0 });
    const [ledger] = await queryDatabase<{ on_hand: number; held: number }>(
      inventory.databaseName,
      'SELECT coalesce(sum(on_hand_delta), 0)::int AS on_hand, coalesce(sum(held_delta), 0)::int AS held FROM stock_movement WHERE sku_id = $1',
      [LIMITED],
    );
    expect(ledger).toEqual({ on_hand: 50, held: 50 });
  });

  it('refuses an order whose deduct-on-payment line the stock cannot serve, holding nothing for it', async () => {
    const tea = (await stockOf(TEA)).totals;
    const placed = await place('erin', [
      { skuId: TEA, quantity: 1 },
      { skuId: CUP, quantity: 500 },
    ]);
    expect(placed.response.status).toBe(201);
    const closed = await eventually(
      () => orderOf('erin', placed.data!.id),
      (o) => o.state !== 'PLACED',
    );
    expect({ state: closed.state, reason: closed.stateReason }).toEqual({ state: 'CANCELLED', reason: 'STOCK_UNAVAILABLE' });
    expect((await stockOf(TEA)).totals).toEqual(tea);
  });

  it('gives the stock back when a shopper cancels before paying', async () => {
    const before = (await stockOf(TEA)).totals.available;
    const placed = orThrow(await place('carol', [{ skuId: TEA, quantity: 5 }]));
    await eventually(
      () => orderOf('carol', placed.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    expect((await stockOf(TEA)).totals.available).toBe(before - 5);
    const cancelled = await as('carol').POST('/api/v1/orders/{id}/cancel', byId(placed.id));
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data?.state).toBe('CANCELLED');
    await eventually(
      () => stockOf(TEA),
      (stock) => stock.totals.available === before,
    );
  });

  it('keeps billing details on the order and lets the owner change them until the order closes', async () => {
    const company = {
      type: 'COMPANY' as const,
      title: 'Longjing Teahouse Co., Ltd.',
      taxId: '91350100M000100Y43',
      email: 'invoices@longjing.example',
    };
    const lines = [{ skuId: TEA, quantity: 1 }];
    const placed = orThrow(
      await as('dora').POST('/api/v1/orders', { body: { lines, receiver, paymentMethod: 'ONLINE', billing: company } }),
    );
    expect(placed.billing).toMatchObject({ ...company, country: 'CN', version: 1 });
    expect(placed.receiver).toEqual(receiver);
    expect((await orderOf('dora', placed.id)).billing).toEqual(placed.billing);

    // The gateway refuses the shape; orders the tax id its country's rule does not pass.
    const withoutTaxId = await as('dora').POST('/api/v1/orders', {
      body: { lines, receiver, paymentMethod: 'ONLINE', billing: { ...company, taxId: undefined } },
    });
    expect(withoutTaxId.response.status).toBe(400);
    expect(withoutTaxId.error?.errors?.[0].field).toBe('billing.taxId');
    const typo = await as('dora').POST('/api/v1/orders', {
      body: { lines, receiver, paymentMethod: 'ONLINE', billing: { ...company, taxId: '91350100M000100Y44' } },
    });
    expect(typo.response.status).toBe(422);
    expect(typo.error).toMatchObject({ type: 'https://mallard.dev/problems/tax-id-invalid', reason: 'CHECK_CHARACTER' });

    const person = { type: 'PERSONAL' as const, title: 'Dora Wang', email: 'dora@example.com' };
    const changed = orThrow(await as('dora').PUT('/api/v1/orders/{id}/billing', { ...byId(placed.id), body: person }));
    expect(changed).toMatchObject({ ...person, taxId: null, country: 'CN', version: 2 });
    expect((await orderOf('dora', placed.id)).billing).toEqual(changed);
    expect((await as('mallory').PUT('/api/v1/orders/{id}/billing', { ...byId(placed.id), body: company })).response.status).toBe(404);

    expect((await as('dora').POST('/api/v1/orders/{id}/cancel', byId(placed.id))).response.status).toBe(200);
    const closed = await as('dora').PUT('/api/v1/orders/{id}/billing', { ...byId(placed.id), body: company });
    expect(closed.response.status).toBe(409);
    expect(closed.error).toMatchObject({ type: 'https://mallard.dev/problems/billing-not-changeable', reason: 'ORDER_CANCELLED' });
  });

  it('buys again: flags each old line and places the ones still OK', async () => {
    const placed = orThrow(
      await place('dave', [
        { skuId: TEA, quantity: 2 },
        { skuId: CUP, quantity: 1 },
        { skuId: LIMITED, quantity: 1 },
      ]),
    );
    expect((await admin().PATCH('/api/v1/admin/skus/{id}', { ...byId(CUP), body: { priceMinor: 4700 } })).response.status).toBe(200);
    await eventually(
      () => queryDatabase<{ price_minor: string }>(orders.databaseName, 'SELECT price_minor FROM catalog_sku WHERE id = $1', [CUP]),
      ([row]) => Number(row.price_minor) === 4700,
    );
    const dave = as('dave');
    const proposal = await dave.POST('/api/v1/orders/{id}/reorder', { ...byId(placed.id), body: {} });
    expect(proposal.response.status).toBe(200);
    expect(proposal.data?.order).toBeNull();
    const statusOf = (skuId: string) => proposal.data?.proposal.find((line) => line.skuId === skuId);
    expect(statusOf(TEA)?.status).toBe('OK');
    expect(statusOf(CUP)).toMatchObject({ status: 'PRICE_CHANGED', oldUnitPrice: 4500, newUnitPrice: 4700 });
    expect(statusOf(LIMITED)?.status).toBe('INSUFFICIENT_STOCK');

    const key = `reorder-${run}`;
    const again = await dave.POST('/api/v1/orders/{id}/reorder', {
      params: { path: { id: placed.id }, header: { 'Idempotency-Key': key } },
      body: { place: true },
    });
    expect(again.response.status).toBe(201);
    expect(again.data?.order?.lines.map((line) => line.skuId)).toEqual([TEA]);

    // A placement the gateway refuses is its problem+json, as for any other call: here the key
    // that placed the first reorder, sent with another payment method.
    const reused = await dave.POST('/api/v1/orders/{id}/reorder', {
      params: { path: { id: placed.id }, header: { 'Idempotency-Key': key } },
      body: { place: true, paymentMethod: 'POINTS' },
    });
    expect(reused.response.status).toBe(422);
    expect(reused.error?.type).toMatch(/idempotency-key-reused$/);
  });
});
