/**
 * End to end through the gateway, as a mall front end and its back office use Mallard:
 * gateway + orders + inventory + payments on real Kafka and PostgreSQL, in one world of topics.
 */
import { randomUUID } from 'node:crypto';
import { dropDatabase, eventually, queryDatabase, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { inventoryService } from '../apps/inventory/src/service.js';
import { ordersService } from '../apps/orders/src/service.js';
import { paymentsService } from '../apps/payments/src/service.js';
import { assertAnswerInContract } from './api-contract.js';

const run = uniqueSuffix();
const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
const tokenFor = (sub: string, role: 'shopper' | 'admin' | 'warehouse' = 'shopper') =>
  tokens.sign({ sub, roles: [role], ttlSeconds: 3600 });
const receiver = { name: 'Han Meimei', phone: '+8613900000000', address: { country: 'CN', city: 'Suzhou', street: '8 Garden Lane' } };

interface OrderBody {
  id: string;
  state: string;
  stateReason: string | null;
  amounts: { payable: number; shippingFee: number };
  lines: { id: string; skuId: string; quantity: number; allocations: { warehouseId: string; quantity: number }[] }[];
  subOrders: { warehouseId: string; fulfilmentType: string; shippingFee: number; lines: { paidAmount: number }[] }[];
}

describe('checkout through the gateway', () => {
  let inventory: TestService;
  let orders: TestService;
  let payments: TestService;
  let gateway: TestService;
  const admin = tokenFor(`admin-${run}`, 'admin');

  const api = async (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const answer = {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : null) as any,
    };
    // Every answer the shoppers and staff of this spec receive is held to the published contract.
    assertAnswerInContract(method, path, answer.status, answer.type, answer.body);
    return answer;
  };
  const place = (shopper: string, lines: { skuId: string; quantity: number }[]) =>
    api('POST', '/api/v1/orders', tokenFor(shopper), { lines, receiver, paymentMethod: 'ONLINE' }, { 'idempotency-key': randomUUID() });
  const orderOf = async (shopper: string, id: string): Promise<OrderBody> =>
    (await api('GET', `/api/v1/orders/${id}`, tokenFor(shopper))).body;
  const stockOf = async (skuId: string) =>
    (await api('GET', `/api/v1/admin/skus/${skuId}/stock`, admin)).body as { totals: { onHand: number; held: number; available: number } };

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

    const put = async (path: string, body: unknown) => expect((await api('PUT', path, admin, body)).status).toBeLessThan(300);
    await put(`/api/v1/admin/merchants/mall-${run}`, { name: 'The Mall', defaultStockPolicy: 'RESERVE_ON_ORDER' });
    await put(`/api/v1/admin/merchants/potter-${run}`, { name: 'Potter', defaultStockPolicy: 'DEDUCT_ON_PAYMENT' });
    await put(`/api/v1/admin/warehouses/east-${run}`, { name: 'East', fulfilmentType: 'SELF_OPERATED' });
    await put(`/api/v1/admin/warehouses/west-${run}`, { name: 'West', fulfilmentType: 'SELF_OPERATED' });
    await put(`/api/v1/admin/warehouses/potter-${run}`, {
      name: 'Potter workshop',
      merchantId: `potter-${run}`,
      fulfilmentType: 'DROP_SHIP',
    });
    const base = { currency: 'CNY', onShelf: true };
    await put(`/api/v1/admin/skus/${TEA}`, {
      ...base,
      merchantId: `mall-${run}`,
      name: 'Tea',
      priceMinor: 3000,
      fulfilmentType: 'SELF_OPERATED',
    });
    await put(`/api/v1/admin/skus/${CUP}`, {
      ...base,
      merchantId: `potter-${run}`,
      name: 'Cup',
      priceMinor: 4500,
      fulfilmentType: 'DROP_SHIP',
    });
    await put(`/api/v1/admin/skus/${LIMITED}`, {
      ...base,
      merchantId: `mall-${run}`,
      name: 'Limited',
      priceMinor: 9900,
      fulfilmentType: 'SELF_OPERATED',
      scarce: true,
    });
    const receive = async (skuId: string, warehouseId: string, quantity: number) =>
      expect(
        (
          await api('POST', '/api/v1/admin/stock/movements', admin, {
            skuId,
            warehouseId,
            kind: 'RECEIPT',
            quantity,
            reason: 'opening stock',
          })
        ).status,
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
    expect((await api('GET', '/api/v1/orders', undefined)).status).toBe(401);
    const asWarehouse = await api(
      'POST',
      '/api/v1/orders',
      tokenFor('w1', 'warehouse'),
      { lines: [{ skuId: TEA, quantity: 1 }], receiver, paymentMethod: 'ONLINE' },
      { 'idempotency-key': randomUUID() },
    );
    expect(asWarehouse.status).toBe(403);
    expect(asWarehouse.type).toContain('application/problem+json');
    const mine = await place('alice', [{ skuId: TEA, quantity: 1 }]);
    expect(mine.status).toBe(201);
    await eventually(
      () => orderOf('alice', mine.body.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    expect((await api('GET', `/api/v1/orders/${mine.body.id}`, tokenFor('mallory'))).status).toBe(404);
    expect((await api('POST', `/api/v1/orders/${mine.body.id}/cancel`, tokenFor('mallory'))).status).toBe(404);
    const invalid = await api(
      'POST',
      '/api/v1/orders',
      tokenFor('alice'),
      { lines: [], receiver, paymentMethod: 'ONLINE' },
      { 'idempotency-key': randomUUID() },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].field).toBe('lines');
  });

  it('holds stock for a placed order, takes payment, deducts the stock and splits the order by warehouse and fulfilment type', async () => {
    const before = (await stockOf(TEA)).totals;
    const placed = await place('bob', [
      { skuId: TEA, quantity: 150 },
      { skuId: CUP, quantity: 2 },
    ]);
    expect(placed.status).toBe(201);
    const held = await eventually(
      () => orderOf('bob', placed.body.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    // 150 tea: no single warehouse has them, so two do; the deduct-on-payment cup is not held.
    expect(held.lines[0].allocations.map((a) => a.quantity).sort((a, b) => a - b)).toEqual([50, 100]);
    expect(held.lines[1].allocations).toEqual([]);
    expect((await stockOf(TEA)).totals).toMatchObject({ onHand: 200, held: before.held + 150, available: before.available - 150 });

    // Paid through the gateway with loyalty points (100 points = 1.00 by default) and a gift card.
    const card = await api('POST', '/api/v1/admin/gift-cards', admin, { currency: 'CNY', amountMinor: 10_000 });
    expect(card.status).toBe(201);
    const points = held.amounts.payable - 10_000;
    expect((await api('POST', '/api/v1/admin/points/grants', admin, { buyerId: 'bob', points, reason: 'welcome' })).status).toBe(201);
    const paid = await api(
      'POST',
      `/api/v1/orders/${held.id}/payments`,
      tokenFor('bob'),
      {
        tenders: [
          { type: 'GIFT_CARD', code: card.body.code, amountMinor: 10_000 },
          { type: 'POINTS', points },
        ],
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(paid.status).toBe(201);
    expect(paid.body.state).toBe('SUCCEEDED');
    const split = await eventually(
      () => orderOf('bob', held.id),
      (o) => o.state === 'SPLIT',
    );
    expect(split.subOrders.map((s) => s.fulfilmentType).sort()).toEqual(['DROP_SHIP', 'SELF_OPERATED', 'SELF_OPERATED']);
    const cents = split.subOrders.reduce((sum, s) => sum + s.shippingFee + s.lines.reduce((n, l) => n + l.paidAmount, 0), 0);
    expect(cents).toBe(split.amounts.payable);
    expect((await stockOf(TEA)).totals).toMatchObject({ onHand: 50, held: before.held, available: before.available - 150 });
    expect((await stockOf(CUP)).totals).toMatchObject({ onHand: 18, held: 0, available: 18 });
  });

  it('pays an order the moment it is placed, before payments has heard of it', async () => {
    expect(
      (await api('POST', '/api/v1/admin/points/grants', admin, { buyerId: 'frank', points: 1_000_000, reason: 'welcome' })).status,
    ).toBe(201);
    const placed = await place('frank', [{ skuId: TEA, quantity: 1 }]);
    const paid = await api(
      'POST',
      `/api/v1/orders/${placed.body.id}/payments`,
      tokenFor('frank'),
      { tenders: [{ type: 'POINTS', points: placed.body.amounts.payable }] },
      { 'idempotency-key': randomUUID() },
    );
    expect(paid.status).toBe(201);
    expect(paid.body.state).toBe('SUCCEEDED');
    await eventually(
      () => orderOf('frank', placed.body.id),
      (o) => o.state === 'SPLIT',
    );
  });

  it('refuses to pay an order cancelled a moment before, whatever payments has consumed, and takes nothing', async () => {
    expect(
      (await api('POST', '/api/v1/admin/points/grants', admin, { buyerId: 'gina', points: 1_000_000, reason: 'welcome' })).status,
    ).toBe(201);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const placed = await place('gina', [{ skuId: TEA, quantity: 1 }]);
      // Every other time payments has heard of the order before the cancel, so only order.cancelled is in flight.
      if (attempt % 2 === 0) {
        await eventually(
          () => queryDatabase(payments.databaseName, 'SELECT 1 FROM payable_order WHERE order_id = $1', [placed.body.id]),
          (rows) => rows.length === 1,
        );
      }
      expect((await api('POST', `/api/v1/orders/${placed.body.id}/cancel`, tokenFor('gina'))).status).toBe(200);
      const paid = await api(
        'POST',
        `/api/v1/orders/${placed.body.id}/payments`,
        tokenFor('gina'),
        { tenders: [{ type: 'POINTS', points: placed.body.amounts.payable }] },
        { 'idempotency-key': randomUUID() },
      );
      expect(paid.status).toBe(409);
      expect(paid.body.type).toMatch(/order-closed$/);
    }
    const points = (await api('GET', '/api/v1/me/points', tokenFor('gina'))).body as { balance: number };
    expect(points.balance).toBe(1_000_000);
  });

  it('sells exactly the stock in a flash sale of 300 shoppers for 50 units', async () => {
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, index) => place(`flash-${index}`, [{ skuId: LIMITED, quantity: 1 }])),
    );
    expect(responses.every((response) => response.status === 201)).toBe(true);
    const ids = responses.map((response) => response.body.id as string);
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
    expect(placed.status).toBe(201);
    const closed = await eventually(
      () => orderOf('erin', placed.body.id),
      (o) => o.state !== 'PLACED',
    );
    expect({ state: closed.state, reason: closed.stateReason }).toEqual({ state: 'CANCELLED', reason: 'STOCK_UNAVAILABLE' });
    expect((await stockOf(TEA)).totals).toEqual(tea);
  });

  it('gives the stock back when a shopper cancels before paying', async () => {
    const before = (await stockOf(TEA)).totals.available;
    const placed = await place('carol', [{ skuId: TEA, quantity: 5 }]);
    await eventually(
      () => orderOf('carol', placed.body.id),
      (o) => o.state === 'AWAITING_PAYMENT',
    );
    expect((await stockOf(TEA)).totals.available).toBe(before - 5);
    const cancelled = await api('POST', `/api/v1/orders/${placed.body.id}/cancel`, tokenFor('carol'));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('CANCELLED');
    await eventually(
      () => stockOf(TEA),
      (stock) => stock.totals.available === before,
    );
  });

  it('buys again: flags each old line and places the ones still OK', async () => {
    const placed = await place('dave', [
      { skuId: TEA, quantity: 2 },
      { skuId: CUP, quantity: 1 },
      { skuId: LIMITED, quantity: 1 },
    ]);
    expect(placed.status).toBe(201);
    expect((await api('PATCH', `/api/v1/admin/skus/${CUP}`, admin, { priceMinor: 4700 })).status).toBe(200);
    await eventually(
      () => queryDatabase<{ price_minor: string }>(orders.databaseName, 'SELECT price_minor FROM catalog_sku WHERE id = $1', [CUP]),
      ([row]) => Number(row.price_minor) === 4700,
    );
    const proposal = await api('POST', `/api/v1/orders/${placed.body.id}/reorder`, tokenFor('dave'), {});
    expect(proposal.status).toBe(200);
    const statusOf = (skuId: string) => proposal.body.proposal.find((line: { skuId: string }) => line.skuId === skuId);
    expect(statusOf(TEA).status).toBe('OK');
    expect(statusOf(CUP)).toMatchObject({ status: 'PRICE_CHANGED', oldUnitPrice: 4500, newUnitPrice: 4700 });
    expect(statusOf(LIMITED).status).toBe('INSUFFICIENT_STOCK');

    const again = await api(
      'POST',
      `/api/v1/orders/${placed.body.id}/reorder`,
      tokenFor('dave'),
      { place: true },
      { 'idempotency-key': randomUUID() },
    );
    expect(again.status).toBe(201);
    expect(again.body.order.lines.map((line: { skuId: string }) => line.skuId)).toEqual([TEA]);
  });
});
