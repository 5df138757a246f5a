import { randomUUID } from 'node:crypto';
import { orderCancelled, skuUpserted, Topics, type SkuUpsertedV1 } from '@mallard/contracts';
import { dropDatabase, eventually, queryDatabase, readTopic, sendEvent, startTestService, uniqueSuffix, type TestService } from '@mallard/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersService } from '../service.js';
import { ParentOrder } from './order.entity.js';
import { OrderTransitions } from './order-transitions.js';
import type { OrderView } from './order.view.js';

const suffix = uniqueSuffix();
const LIMITED = `LIMITED-${suffix}`;
const receiver = { name: 'Li Lei', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 West Lake Road' } };
const catalogEntry: SkuUpsertedV1 = {
  skuId: LIMITED,
  merchantId: 'mall',
  name: 'Limited',
  priceMinor: 1000,
  currency: 'CNY',
  onShelf: true,
  fulfilmentType: 'SELF_OPERATED',
  stockPolicy: 'RESERVE_ON_ORDER',
  scarce: false,
  purchaseLimit: 1000,
  revision: 1,
};

describe('orders: every state change is a compare-and-set, on real Kafka and PostgreSQL', () => {
  let orders: TestService;

  const place = (buyer: string) =>
    fetch(`${orders.url}/internal/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mallard-buyer': buyer, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ lines: [{ skuId: LIMITED, quantity: 1 }], receiver, paymentMethod: 'ONLINE' }),
    });

  beforeAll(async () => {
    // A one-second window swept every 50 ms: the sweeper is always about to close what a shopper cancels.
    orders = await startTestService(ordersService, { PAYMENT_WINDOW_SECONDS: '1', PAYMENT_WINDOW_SWEEP_MS: '50' });
    await sendEvent(skuUpserted, LIMITED, catalogEntry);
    await eventually(() => queryDatabase(orders.databaseName, 'SELECT 1 FROM catalog_sku WHERE id = $1', [LIMITED]), (rows) => rows.length === 1);
  });

  afterAll(async () => {
    await orders?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  it('refuses a move from a stale copy of the order as a lost race, and writes nothing', async () => {
    const placed = (await (await place('buyer-stale')).json()) as OrderView;
    const dataSource = orders.app.get(DataSource);
    const transitions = orders.app.get(OrderTransitions);
    // Read without the lock, as a careless caller would; then another writer moves the order.
    const stale = await dataSource.getRepository(ParentOrder).findOneByOrFail({ id: placed.id });
    await queryDatabase(orders.databaseName, `UPDATE parent_order SET state = 'PAID', payment_id = 'pay-winner' WHERE id = $1`, [placed.id]);

    const outcome = await dataSource.transaction((manager) => transitions.apply(manager, stale, 'CANCELLED_BY_SHOPPER', 'SHOPPER_CANCELLED'));
    expect(outcome).toEqual({ applied: false, reason: 'LOST_RACE', state: 'PAID' });
    const [row] = await queryDatabase<{ state: string; payment_id: string }>(orders.databaseName, 'SELECT state, payment_id FROM parent_order WHERE id = $1', [placed.id]);
    expect(row).toEqual({ state: 'PAID', payment_id: 'pay-winner' });
    const history = await queryDatabase<{ to_state: string }>(orders.databaseName, 'SELECT to_state FROM order_state_change WHERE order_id = $1 ORDER BY id', [placed.id]);
    expect(history.map((change) => change.to_state)).toEqual(['PLACED']);
  });

  it('closes each order exactly once when shoppers cancel while the payment-window sweeper closes them', async () => {
    const buyer = 'buyer-race';
    const placed = await Promise.all(Array.from({ length: 20 }, async () => ((await (await place(buyer)).json()) as OrderView).id));
    expect(placed).toHaveLength(20);
    // Units of another, paid order of this buyer: they must stay counted whoever closes the 20.
    await queryDatabase(orders.databaseName, 'UPDATE purchase_tally SET quantity = quantity + 1 WHERE buyer_id = $1 AND sku_id = $2', [buyer, LIMITED]);

    // Cancel just as the windows elapse, so cancels and sweeps meet on the same rows.
    await new Promise((resolve) => setTimeout(resolve, 950));
    const cancels = await Promise.all(
      placed.map((id) => fetch(`${orders.url}/internal/orders/${id}/cancel`, { method: 'POST', headers: { 'x-mallard-buyer': buyer } })),
    );
    expect(cancels.map((response) => response.status)).toEqual(placed.map(() => 200));
    const states = await Promise.all(cancels.map(async (response) => ((await response.json()) as OrderView).state));
    expect(new Set(states)).toEqual(new Set(['CANCELLED']));

    const closes = await queryDatabase<{ order_id: string; n: number }>(
      orders.databaseName,
      `SELECT order_id, count(*)::int AS n FROM order_state_change WHERE order_id = ANY($1::uuid[]) AND to_state = 'CANCELLED' GROUP BY order_id`,
      [placed],
    );
    expect(closes).toHaveLength(20);
    expect(closes.every((close) => close.n === 1)).toBe(true);
    // The purchase limit was given back once per order: only the paid order's unit is left.
    const [tally] = await queryDatabase<{ quantity: number }>(orders.databaseName, 'SELECT quantity FROM purchase_tally WHERE buyer_id = $1 AND sku_id = $2', [buyer, LIMITED]);
    expect(tally.quantity).toBe(1);

    const events = await readTopic(Topics.orders, 20, 20_000, (record) => placed.includes(record.key ?? '') && record.headers.ce_type === orderCancelled.type);
    expect(new Set(events.map((event) => event.key)).size).toBe(20);
  });
});
