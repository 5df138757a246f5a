import { orderCancelled, paymentSucceeded, refundRequested, type SkuUpsertedV1, Topics } from '@mallard/contracts';
// These tests call orders directly, through the kit: every call is signed like the gateway's (service token).
import { dropDatabase, queryDatabase, readTopic, sendEvent, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersService } from '../service.js';
import { cancelOrder, catalogSku, orderRequest, placeOrder, seedCatalog } from '../testing/orders-test-kit.js';
import type { OrderView } from './order.view.js';
import { OrderTransitions } from './order-transitions.js';
import { ParentOrder } from './parent-order.entity.js';

const suffix = uniqueSuffix();
const LIMITED = `LIMITED-${suffix}`;
const catalogEntry: SkuUpsertedV1 = catalogSku(LIMITED, { name: 'Limited', purchaseLimit: 1000 });

describe('orders: every state change is a compare-and-set, on real Kafka and PostgreSQL', () => {
  let orders: TestService;

  const place = (buyer: string) => placeOrder(orders, buyer, orderRequest([{ skuId: LIMITED, quantity: 1 }]));

  beforeAll(async () => {
    // A one-second window swept every 50 ms: the sweeper is always about to close what a shopper cancels.
    orders = await startTestService(ordersService, {
      PAYMENT_WINDOW_SECONDS: '1',
      PAYMENT_WINDOW_SWEEP_MS: '50',
      MAX_UNPAID_ORDERS_PER_BUYER: '50',
    });
    await seedCatalog(orders, [catalogEntry]);
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
    await queryDatabase(orders.databaseName, `UPDATE parent_order SET state = 'PAID', payment_id = 'pay-winner' WHERE id = $1`, [
      placed.id,
    ]);

    const outcome = await dataSource.transaction((manager) =>
      transitions.apply(manager, stale, 'CANCELLED_BY_SHOPPER', 'SHOPPER_CANCELLED'),
    );
    expect(outcome).toEqual({ applied: false, reason: 'LOST_RACE', state: 'PAID' });
    const [row] = await queryDatabase<{ state: string; payment_id: string }>(
      orders.databaseName,
      'SELECT state, payment_id FROM parent_order WHERE id = $1',
      [placed.id],
    );
    expect(row).toEqual({ state: 'PAID', payment_id: 'pay-winner' });
    const history = await queryDatabase<{ to_state: string }>(
      orders.databaseName,
      'SELECT to_state FROM order_state_change WHERE order_id = $1 ORDER BY id',
      [placed.id],
    );
    expect(history.map((change) => change.to_state)).toEqual(['PLACED']);
  });

  it('closes each order exactly once when shoppers cancel while the payment-window sweeper closes them', async () => {
    const buyer = 'buyer-race';
    const responses = await Promise.all(Array.from({ length: 20 }, () => place(buyer)));
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 201));
    const placed = await Promise.all(responses.map(async (response) => ((await response.json()) as OrderView).id));
    // Units of another, paid order of this buyer: they must stay counted whoever closes the 20.
    await queryDatabase(orders.databaseName, 'UPDATE purchase_tally SET quantity = quantity + 1 WHERE buyer_id = $1 AND sku_id = $2', [
      buyer,
      LIMITED,
    ]);

    // Cancel just as the windows elapse, so cancels and sweeps meet on the same rows.
    await new Promise((resolve) => setTimeout(resolve, 950));
    const cancels = await Promise.all(placed.map((id) => cancelOrder(orders, buyer, id)));
    const bodies = await Promise.all(
      cancels.map(async (response) => ({ status: response.status, body: (await response.json()) as OrderView & { type?: string } })),
    );
    expect(bodies.filter((answer) => answer.status !== 200)).toEqual([]);
    const states = bodies.map((answer) => answer.body.state);
    expect(new Set(states)).toEqual(new Set(['CANCELLED']));

    const closes = await queryDatabase<{ order_id: string; n: number }>(
      orders.databaseName,
      `SELECT order_id, count(*)::int AS n FROM order_state_change WHERE order_id = ANY($1::uuid[]) AND to_state = 'CANCELLED' GROUP BY order_id`,
      [placed],
    );
    expect(closes).toHaveLength(20);
    expect(closes.every((close) => close.n === 1)).toBe(true);
    // The purchase limit was given back once per order: only the paid order's unit is left.
    const [tally] = await queryDatabase<{ quantity: number }>(
      orders.databaseName,
      'SELECT quantity FROM purchase_tally WHERE buyer_id = $1 AND sku_id = $2',
      [buyer, LIMITED],
    );
    expect(tally.quantity).toBe(1);

    const events = await readTopic(
      Topics.orders,
      20,
      20_000,
      (record) => placed.includes(record.key ?? '') && record.headers.ce_type === orderCancelled.type,
    );
    expect(new Set(events.map((event) => event.key)).size).toBe(20);
  });

  it('lets exactly one of a cancel and a payment win each order: a cancelled order refunds the payment, a paid one takes the cancel as a request to intercept', async () => {
    const longWindow = await startTestService(ordersService, { PAYMENT_WINDOW_SECONDS: '3600' });
    try {
      await seedCatalog(longWindow, [catalogEntry]);
      const buyer = 'buyer-pay-race';
      const placed = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const response = await placeOrder(longWindow, buyer, orderRequest([{ skuId: LIMITED, quantity: 1 }]));
          expect(response.status).toBe(201);
          return (await response.json()) as OrderView;
        }),
      );
      // The payments are on their way through Kafka; the cancels are spread over the time they take
      // to arrive, so some cancels land before their payment and some after.
      await Promise.all(
        placed.map((order) =>
          sendEvent(paymentSucceeded, order.id, {
            orderId: order.id,
            paymentId: `race-${order.id}`,
            amountMinor: order.amounts.payable,
            currency: 'CNY',
            succeededAt: new Date().toISOString(),
          }),
        ),
      );
      const cancels = await Promise.all(
        placed.map(async (order, index) => {
          await new Promise((resolve) => setTimeout(resolve, index * 40));
          return (await cancelOrder(longWindow, buyer, order.id)).status;
        }),
      );
      expect(cancels.every((status) => status === 200 || status === 202)).toBe(true);
      const cancelledIds = placed.filter((_, index) => cancels[index] === 200).map((order) => order.id);
      const paidIds = placed.filter((_, index) => cancels[index] === 202).map((order) => order.id);

      // Which side wins each order depends on timing: any mix is right as long as each order has
      // exactly one winner. A cancel that won: the payment that came after is refunded in full, once.
      const refunds =
        cancelledIds.length === 0
          ? []
          : await readTopic(
              Topics.orders,
              cancelledIds.length,
              20_000,
              (record) => cancelledIds.includes(record.key ?? '') && record.headers.ce_type === refundRequested.type,
            );
      expect(new Set(refunds.map((refund) => refund.key)).size).toBe(cancelledIds.length);
      for (const refund of refunds) expect(JSON.parse(refund.value!)).toMatchObject({ reason: 'PAID_AFTER_CLOSE' });

      const history = await queryDatabase<{ order_id: string; states: string[] }>(
        longWindow.databaseName,
        `SELECT order_id::text, array_agg(to_state ORDER BY id) AS states FROM order_state_change WHERE order_id = ANY($1::uuid[]) GROUP BY order_id`,
        [placed.map((order) => order.id)],
      );
      const statesOf = new Map(history.map((row) => [row.order_id, row.states]));
      for (const id of cancelledIds) expect(statesOf.get(id)).toEqual(['PLACED', 'CANCELLED']);
      // A payment that won: the order is paid once, and the cancel is kept as a request to stop its sub-orders once they exist.
      for (const id of paidIds) expect(statesOf.get(id)).toEqual(['PLACED', 'PAID']);
      const asked = await queryDatabase<{ id: string }>(
        longWindow.databaseName,
        'SELECT id::text FROM parent_order WHERE id = ANY($1::uuid[]) AND interception_requested_at IS NOT NULL',
        [placed.map((order) => order.id)],
      );
      expect(asked.map((row) => row.id).sort()).toEqual([...paidIds].sort());
    } finally {
      await longWindow.stop();
      await dropDatabase(longWindow.databaseName);
    }
  });
});
