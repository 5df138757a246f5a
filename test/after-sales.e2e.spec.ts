/**
 * After-sales through the gateway as a shopper, customer service and warehouse staff use it: every
 * service on real Kafka and PostgreSQL, every call through libs/client (or held to docs/openapi.json).
 * An order of 2 × tea at 50.00 and 1 × cup at 30.00 under "spend 120.00 save 20.00" with a 10.00
 * fee pays 120.00: tea 92.31 (goods 84.62, fee 7.69), cup 27.69 (goods 25.38, fee 2.31).
 */
import { orThrow } from '@mallard/client';
import { dropDatabase, eventually, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegExifSegment, pngExifChunk, tinyJpeg, tinyPng } from '../apps/after-sales/src/evidence/evidence-samples.js';
import { afterSalesService } from '../apps/after-sales/src/service.js';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { signAfterShipBody } from '../apps/logistics/src/providers/aftership/aftership-webhook.js';
import { logisticsService } from '../apps/logistics/src/service.js';
import { afterShipUpdate } from '../apps/logistics/src/testing/logistics-test-kit.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { contractCheckedClient, fetchInContract } from './api-contract.js';

const run = uniqueSuffix();
const AFTERSHIP_SECRET = `aftership-${run}-secret`;
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
type Role = 'shopper' | 'admin' | 'warehouse' | 'customer-service';
const receiver = { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Lake Road' } };
const trackingOf = (label: string) => `SF${run}${label}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 40);

describe('after-sales through the gateway', () => {
  const services: TestService[] = [];
  let gateway: TestService;
  const token = (user: string, role: Role, warehouses?: string[]) =>
    tokens.sign({ sub: user, roles: [role], ttlSeconds: 3600, ...(warehouses ? { warehouses } : {}) });
  const as = (user: string, role: Role = 'shopper', warehouses?: string[]) =>
    contractCheckedClient(gateway.url, token(user, role, warehouses));
  const byId = (id: string) => ({ params: { path: { id } } });
  const MALL = `mall-${run}`;
  const EAST = `east-${run}`;
  const TEA = `tea-${run}`;
  const GREEN_TEA = `green-tea-${run}`;
  const GOLD_TEA = `gold-tea-${run}`;
  const CUP = `cup-${run}`;
  const ALICE = `alice-${run}`;
  const desk = () => as(`cs-${run}`, 'customer-service');
  const picker = () => as(`picker-${run}`, 'warehouse', [EAST]);

  beforeAll(async () => {
    const inventory = await startTestService(inventoryService, { STOCK_HOLD_TTL_SECONDS: '3600' });
    const orders = await startTestService(ordersService, { SHIPPING_FEE_MINOR: '1000', FREE_SHIPPING_FROM_MINOR: '0' });
    const payments = await startTestService(paymentsService);
    const logistics = await startTestService(logisticsService, { AFTERSHIP_WEBHOOK_SECRET: AFTERSHIP_SECRET });
    const afterSales = await startTestService(afterSalesService, { EVIDENCE_MAX_FILE_BYTES: String(1024 * 1024) });
    gateway = await startTestService(gatewayService, {
      ORDERS_URL: orders.url,
      INVENTORY_URL: inventory.url,
      PAYMENTS_URL: payments.url,
      LOGISTICS_URL: logistics.url,
      AFTER_SALES_URL: afterSales.url,
      RATE_LIMIT_PER_MINUTE: '0',
    });
    services.push(gateway, afterSales, logistics, payments, orders, inventory);

    const staff = as(`admin-${run}`, 'admin');
    orThrow(
      await staff.PUT('/api/v1/admin/merchants/{id}', {
        ...byId(MALL),
        body: {
          name: 'The Mall',
          defaultStockPolicy: 'RESERVE_ON_ORDER',
          customerService: { phone: '+86 571 8888 0000', hours: 'daily 09:00–21:00', chatUrl: 'https://chat.example.com/mall' },
        },
      }),
    );
    orThrow(await staff.PUT('/api/v1/admin/warehouses/{id}', { ...byId(EAST), body: { name: 'East', fulfilmentType: 'SELF_OPERATED' } }));
    for (const [skuId, name, priceMinor] of [
      [TEA, 'Tea', 5000],
      [GREEN_TEA, 'Green tea', 5000],
      [GOLD_TEA, 'Gold tea', 6800],
      [CUP, 'Cup', 3000],
    ] as const) {
      orThrow(
        await staff.PUT('/api/v1/admin/skus/{id}', {
          ...byId(skuId),
          body: { merchantId: MALL, name, priceMinor, currency: 'CNY', onShelf: true, fulfilmentType: 'SELF_OPERATED' },
        }),
      );
      orThrow(
        await staff.POST('/api/v1/admin/stock/movements', {
          body: { skuId, warehouseId: EAST, kind: 'RECEIPT', quantity: 50, reason: 'opening stock' },
        }),
      );
    }
    orThrow(
      await staff.PUT('/api/v1/admin/promotions/{id}', {
        ...byId(`spend-120-save-20-${run}`),
        body: { kind: 'THRESHOLD', active: true, thresholdMinor: 12_000, discountMinor: 2_000 },
      }),
    );
    orThrow(await staff.POST('/api/v1/admin/points/grants', { body: { buyerId: ALICE, points: 10_000_000, reason: 'welcome' } }));
  });

  afterAll(async () => {
    for (const service of services) {
      await service.stop();
      await dropDatabase(service.databaseName);
    }
  });

  /** Alice's order of 2 teas and a cup, paid, picked, packed in one parcel, handed over and delivered. */
  async function deliveredOrder(label: string) {
    const alice = as(ALICE);
    const order = await eventually(
      async () =>
        alice.POST('/api/v1/orders', {
          body: {
            lines: [
              { skuId: TEA, quantity: 2 },
              { skuId: CUP, quantity: 1 },
            ],
            receiver,
            paymentMethod: 'POINTS',
          },
        }),
      // The catalog and the promotion reach orders through events and a short cache.
      (answer) => answer.response.status === 201 && answer.data?.amounts.payable === 12_000,
    ).then(orThrow);
    orThrow(
      await alice.POST('/api/v1/orders/{id}/payments', {
        ...byId(order.id),
        body: { tenders: [{ type: 'POINTS', points: order.amounts.payable }] },
      }),
    );
    const split = await eventually(
      async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))),
      (current) => current.state === 'SPLIT',
      { timeoutMs: 30_000 },
    );
    const subOrder = split.subOrders[0];
    const parcel = await ship(subOrder.id, subOrder.lines, label);
    await deliver(parcel.trackingNumber!);
    await eventually(
      async () => orThrow(await alice.GET('/api/v1/orders/{id}', byId(order.id))).status,
      (status) => status === 'DELIVERED',
    );
    const lineOf = (skuId: string) => subOrder.lines.find((line) => line.skuId === skuId)!.lineId;
    return { orderId: order.id, subOrderId: subOrder.id, tea: lineOf(TEA), cup: lineOf(CUP) };
  }

  async function ship(subOrderId: string, lines: { lineId: string; quantity: number }[], label: string) {
    const staff = picker();
    await eventually(
      async () => (await staff.GET('/api/v1/warehouse/sub-orders/{id}', byId(subOrderId))).response.status,
      (status) => status === 200,
    );
    orThrow(await staff.POST('/api/v1/warehouse/sub-orders/{id}/pick', byId(subOrderId)));
    const packed = orThrow(
      await staff.POST('/api/v1/warehouse/sub-orders/{id}/pack', {
        ...byId(subOrderId),
        body: { parcels: [{ lines: lines.map(({ lineId, quantity }) => ({ lineId, quantity })) }] },
      }),
    );
    const handedOver = orThrow(
      await staff.POST('/api/v1/warehouse/parcels/{id}/handover', {
        ...byId(packed.parcels[0].id),
        body: { carrierCode: 'sf-express', trackingNumber: trackingOf(label) },
      }),
    );
    expect(handedOver.state).toBe('SHIPPED');
    return handedOver.parcels[0];
  }

  async function deliver(trackingNumber: string) {
    const raw = JSON.stringify(afterShipUpdate(trackingNumber, 'Delivered', new Date().toISOString()));
    const answer = await fetchInContract(`${gateway.url}/api/v1/webhooks/carriers/aftership`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signAfterShipBody(AFTERSHIP_SECRET, raw) },
      body: raw,
    });
    expect(answer.status).toBe(200);
  }

  /** A request, retried under one key until after-sales has heard of the delivery. */
  async function ask(orderId: string, body: Record<string, unknown>) {
    const alice = as(ALICE);
    const key = crypto.randomUUID();
    return eventually(
      async () =>
        alice.POST('/api/v1/orders/{id}/after-sales', {
          ...byId(orderId),
          params: { path: { id: orderId }, header: { 'Idempotency-Key': key } },
          body: body as never,
        }),
      (answer) => answer.response.status === 201,
    ).then(orThrow);
  }

  const refundedFlag = async (orderId: string) => orThrow(await as(ALICE).GET('/api/v1/orders/{id}', byId(orderId))).flags;

  it('refunds one line of a refund only, with the lost "spend X save Y" benefit withheld, and says so on the order', async () => {
    const { orderId, subOrderId, tea } = await deliveredOrder('r1');
    const made = await ask(orderId, { type: 'REFUND_ONLY', reason: 'DAMAGED', lines: [{ subOrderId, lineId: tea, quantity: 1 }] });
    expect(made).toMatchObject({
      state: 'REQUESTED',
      sellerAtFault: true,
      contact: { merchantId: MALL, name: 'The Mall', phone: '+86 571 8888 0000', chatUrl: 'https://chat.example.com/mall' },
    });
    await eventually(
      () => refundedFlag(orderId),
      (flags) => flags.afterSales,
    );
    const queue = orThrow(await desk().GET('/api/v1/admin/after-sales', { params: { query: { merchantId: MALL, type: 'REFUND_ONLY' } } }));
    expect(queue.items.find((item) => item.id === made.id)?.ageSeconds).toBeGreaterThanOrEqual(0);

    const approved = orThrow(
      await desk().POST('/api/v1/admin/after-sales/{id}/approve', { ...byId(made.id), body: { note: 'photo checked' } }),
    );
    // A tea's goods 42.31, less the 12.31 the kept tea and cup lost (80.00 priced alone is under the
    // threshold), plus the tea's share of the fee, 3.85: the seller is at fault.
    expect(approved.refund).toMatchObject({ paid: 4231, clawback: 1231, released: 0, shipping: 385, refunded: 3385 });
    const done = await eventually(
      async () => orThrow(await as(ALICE).GET('/api/v1/after-sales/{id}', byId(made.id))),
      (current) => current.state === 'REFUNDED',
    );
    expect(done.history.map((step) => [step.to, step.actor.kind])).toEqual([
      ['REQUESTED', 'SHOPPER'],
      ['APPROVED', 'CUSTOMER_SERVICE'],
      ['REFUNDING', 'CUSTOMER_SERVICE'],
      ['REFUNDED', 'SYSTEM'],
    ]);
    await eventually(
      () => refundedFlag(orderId),
      (flags) => flags.refunded === 'PARTIAL' && !flags.afterSales,
    );
  });

  it('returns part of the order with the benefit clawed back to the cent, then the rest: everything paid comes back, shipping included', async () => {
    const { orderId, subOrderId, tea, cup } = await deliveredOrder('r2');
    const returnOf = async (lineId: string, quantity: number, label: string) => {
      const made = await ask(orderId, { type: 'RETURN_AND_REFUND', reason: 'CHANGED_MIND', lines: [{ subOrderId, lineId, quantity }] });
      expect(made.returnShipping).toMatchObject({ payer: 'SHOPPER' });
      orThrow(await desk().POST('/api/v1/admin/after-sales/{id}/approve', { ...byId(made.id), body: {} }));
      orThrow(
        await as(ALICE).POST('/api/v1/after-sales/{id}/return-parcel', {
          ...byId(made.id),
          body: { carrierCode: 'sf-express', trackingNumber: trackingOf(label) },
        }),
      );
      const staff = picker();
      orThrow(await staff.POST('/api/v1/warehouse/after-sales/{id}/receive', { ...byId(made.id), body: {} }));
      const inspected = orThrow(
        await staff.POST('/api/v1/warehouse/after-sales/{id}/inspection', { ...byId(made.id), body: { passed: true, note: 'as sold' } }),
      );
      return inspected.refund!;
    };
    // The cup: its goods 25.38, less what the two teas kept lost, 15.38; the fee stays.
    expect(await returnOf(cup, 1, 'b1')).toMatchObject({ paid: 2538, clawback: 1538, shipping: 0, refunded: 1000 });
    // The teas: 84.62, the 15.38 withheld before, and the whole fee.
    const last = await returnOf(tea, 2, 'b2');
    expect(last).toMatchObject({ paid: 8462, released: 1538, shipping: 1000, refunded: 11_000 });
    await eventually(
      () => refundedFlag(orderId),
      (flags) => flags.refunded === 'FULL' && !flags.afterSales,
      { timeoutMs: 30_000 },
    );
  });

  it('exchanges a tea for a variant at the same price, refusing a dearer one, fetching the goods by a pickup the carrier tracks, and ships the replacement as a sub-order', async () => {
    const { orderId, subOrderId, tea } = await deliveredOrder('x1');
    const dearer = await as(ALICE).POST('/api/v1/orders/{id}/after-sales', {
      params: { path: { id: orderId }, header: { 'Idempotency-Key': crypto.randomUUID() } },
      body: { type: 'EXCHANGE', reason: 'WRONG_ITEM', lines: [{ subOrderId, lineId: tea, quantity: 1, replacementSkuId: GOLD_TEA }] },
    });
    expect(dearer.response.status).toBe(422);
    expect(dearer.error).toMatchObject({ reason: 'PRICE_DIFFERS', priceMinor: 6800, paidUnitPriceMinor: 5000 });

    const made = await ask(orderId, {
      type: 'EXCHANGE',
      reason: 'WRONG_ITEM',
      lines: [{ subOrderId, lineId: tea, quantity: 1, replacementSkuId: GREEN_TEA }],
    });
    expect(made.returnShipping).toMatchObject({ payer: 'MERCHANT' });
    orThrow(await desk().POST('/api/v1/admin/after-sales/{id}/approve', { ...byId(made.id), body: {} }));
    // The merchant has a carrier fetch the goods; the carrier's webhooks tell everyone where they are.
    const staff = picker();
    const pickup = { carrierCode: 'sf-express', trackingNumber: trackingOf('x9'), pickupAt: '2026-12-05T09:00:00.000Z' };
    const booked = orThrow(await staff.POST('/api/v1/warehouse/after-sales/{id}/pickup', { ...byId(made.id), body: pickup }));
    expect(booked).toMatchObject({ state: 'RETURN_SHIPPED', returnParcel: { ...pickup, bookedBy: 'MERCHANT', trackingState: null } });
    await deliver(pickup.trackingNumber);
    const tracked = await eventually(
      async () => orThrow(await as(ALICE).GET('/api/v1/after-sales/{id}', byId(made.id))),
      (request) => request.returnParcel?.trackingState === 'DELIVERED',
      { timeoutMs: 30_000 },
    );
    expect(tracked.state).toBe('RETURN_SHIPPED');
    orThrow(await staff.POST('/api/v1/warehouse/after-sales/{id}/receive', { ...byId(made.id), body: {} }));
    const exchanging = orThrow(
      await staff.POST('/api/v1/warehouse/after-sales/{id}/inspection', { ...byId(made.id), body: { passed: true, note: 'unopened' } }),
    );
    expect(exchanging).toMatchObject({ state: 'EXCHANGING', refund: null });
    const replacementId = exchanging.replacementSubOrderId!;
    const replacement = await eventually(
      async () => await staff.GET('/api/v1/warehouse/sub-orders/{id}', byId(replacementId)),
      (answer) => answer.response.status === 200,
      { timeoutMs: 30_000 },
    ).then(orThrow);
    expect(replacement).toMatchObject({ orderId, state: 'AWAITING_PICK', receiver, lines: [{ skuId: GREEN_TEA, quantity: 1 }] });
    await ship(replacementId, replacement.lines, 'x2');
    await eventually(
      async () => orThrow(await as(ALICE).GET('/api/v1/after-sales/{id}', byId(made.id))).state,
      (state) => state === 'EXCHANGED',
    );
  });

  it('rejects a request with the reason, and takes evidence: photos kept without their location, served only to their viewers', async () => {
    const { orderId, subOrderId, cup } = await deliveredOrder('e1');
    const made = await ask(orderId, { type: 'RETURN_AND_REFUND', reason: 'DAMAGED', lines: [{ subOrderId, lineId: cup, quantity: 1 }] });
    const upload = (files: { name: string; bytes: Buffer; type: string }[], user = ALICE) => {
      const form = new FormData();
      for (const file of files) form.append('files', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
      return fetchInContract(`${gateway.url}/api/v1/after-sales/${made.id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token(user, 'shopper')}` },
        body: form,
      });
    };
    const gps = jpegExifSegment();
    const accepted = await upload([
      { name: 'crack.jpg', bytes: tinyJpeg({ metadata: [gps] }), type: 'image/jpeg' },
      { name: 'box.png', bytes: tinyPng({ metadata: [pngExifChunk()] }), type: 'image/png' },
    ]);
    expect(accepted.status).toBe(200);
    const withFiles = (await accepted.json()) as { evidence: { url: string; contentType: string }[] };
    expect(withFiles.evidence.map((file) => file.contentType)).toEqual(['image/jpeg', 'image/png']);

    const textAsJpeg = await upload([{ name: 'crack.jpg', bytes: Buffer.from('not a photo at all'), type: 'image/jpeg' }]);
    expect([textAsJpeg.status, ((await textAsJpeg.json()) as { type: string }).type]).toEqual([
      415,
      'https://mallard.dev/problems/evidence-type-unsupported',
    ]);
    const oversize = await upload([
      { name: 'huge.jpg', bytes: tinyJpeg({ trailer: Buffer.alloc(2 * 1024 * 1024, 1) }), type: 'image/jpeg' },
    ]);
    expect(oversize.status).toBe(413);
    expect((await upload([{ name: 'a.jpg', bytes: tinyJpeg(), type: 'image/jpeg' }], `mallory-${run}`)).status).toBe(404);

    const fetchAs = (url: string, user: string, role: Role = 'shopper') =>
      fetchInContract(`${gateway.url}${url}`, { headers: { authorization: `Bearer ${token(user, role)}` } });
    const photo = await fetchAs(withFiles.evidence[0].url, ALICE);
    expect(photo.status).toBe(200);
    const bytes = Buffer.from(await photo.arrayBuffer());
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.includes(gps.subarray(10, 40))).toBe(false);
    expect((await fetchAs(withFiles.evidence[0].url, `mallory-${run}`)).status).toBe(403);
    const staffView = orThrow(await desk().GET('/api/v1/after-sales/{id}', byId(made.id)));
    expect((await fetchAs(staffView.evidence[1].url, `cs-${run}`, 'customer-service')).status).toBe(200);

    const rejected = orThrow(
      await desk().POST('/api/v1/admin/after-sales/{id}/reject', { ...byId(made.id), body: { note: 'the crack is not on the photos' } }),
    );
    expect(rejected).toMatchObject({ state: 'REJECTED', refund: null });
    expect(rejected.history.at(-1)).toMatchObject({
      to: 'REJECTED',
      note: 'the crack is not on the photos',
      actor: { kind: 'CUSTOMER_SERVICE' },
    });
    await eventually(
      () => refundedFlag(orderId),
      (flags) => !flags.afterSales && flags.refunded === 'NONE',
    );
  });
});
