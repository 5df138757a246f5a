import { orderSplitV2, subOrderStateChanged, Topics } from '@mallard/contracts';
import { dropDatabase, eventually, queryDatabase, readTopic, sendEvent, startTestService, type TestService } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logisticsService } from '../service.js';
import { orderSplitOf } from '../testing/logistics-test-kit.js';

describe('logistics: sub-orders from order.split, on real Kafka and PostgreSQL', () => {
  let logistics: TestService;

  beforeAll(async () => {
    logistics = await startTestService(logisticsService);
  });

  afterAll(async () => {
    await logistics?.stop();
    if (logistics) await dropDatabase(logistics.databaseName);
  });

  it('takes on each sub-order of a split order, awaiting pick, with its lines, receiver and slot, and says so', async () => {
    const split = orderSplitOf(
      [
        {
          warehouseId: 'WH-EAST',
          shippingFeeMinor: 1000,
          lines: [{ skuId: 'kettle', quantity: 1, merchandiseMinor: 3999, shippingFeeShareMinor: 1000 }],
        },
        {
          warehouseId: 'FARM',
          fulfilmentType: 'DROP_SHIP',
          merchantId: 'farm',
          lines: [{ skuId: 'honey', quantity: 2, merchandiseMinor: 2300 }],
        },
      ],
      { deliverySlot: { date: '2026-12-05', from: '09:00', to: '12:00' } },
    );
    await sendEvent(orderSplitV2, split.orderId, split);

    const rows = await eventually(
      () =>
        queryDatabase<{
          id: string;
          state: string;
          version: number;
          shipping_fee: string;
          paid_amount: string;
          receiver: object;
          delivery_slot: object;
        }>(
          logistics.databaseName,
          'SELECT id, state, version, shipping_fee, paid_amount, receiver, delivery_slot FROM sub_order WHERE order_id = $1 ORDER BY position',
          [split.orderId],
        ),
      (found) => found.length === 2,
    );
    expect(rows.map((row) => [row.id, row.state, row.version, Number(row.shipping_fee), Number(row.paid_amount)])).toEqual([
      [split.subOrders[0].subOrderId, 'AWAITING_PICK', 1, 1000, 4999],
      [split.subOrders[1].subOrderId, 'AWAITING_PICK', 1, 0, 2300],
    ]);
    expect(rows[0].receiver).toEqual(split.receiver);
    expect(rows[0].delivery_slot).toEqual(split.deliverySlot);
    const lines = await queryDatabase<{ sku_id: string; quantity: number; paid_amount: string }>(
      logistics.databaseName,
      'SELECT sku_id, quantity, paid_amount FROM sub_order_line WHERE sub_order_id = $1',
      [split.subOrders[1].subOrderId],
    );
    expect(lines.map((line) => [line.sku_id, line.quantity, Number(line.paid_amount)])).toEqual([['honey', 2, 2300]]);

    const events = await readTopic(
      Topics.logistics,
      2,
      20_000,
      (record) => record.key === split.orderId && record.headers.ce_type === subOrderStateChanged.type,
    );
    expect(events.map((event) => JSON.parse(event.value!)).sort((a, b) => a.warehouseId.localeCompare(b.warehouseId))).toEqual([
      expect.objectContaining({ subOrderId: split.subOrders[1].subOrderId, to: 'AWAITING_PICK', version: 1, actor: { kind: 'SYSTEM' } }),
      expect.objectContaining({
        subOrderId: split.subOrders[0].subOrderId,
        to: 'AWAITING_PICK',
        version: 1,
        fulfilmentType: 'SELF_OPERATED',
      }),
    ]);
  });

  it('takes a split delivered again, even as a new event, once', async () => {
    const split = orderSplitOf([{ warehouseId: 'WH-WEST', lines: [{ skuId: 'tea', quantity: 3, merchandiseMinor: 9000 }] }]);
    await sendEvent(orderSplitV2, split.orderId, split);
    await sendEvent(orderSplitV2, split.orderId, split);
    // Events of one order arrive in order: once a later one is applied, both copies were handled.
    const barrier = orderSplitOf([{ warehouseId: 'WH-WEST', lines: [{ skuId: 'tea', quantity: 1, merchandiseMinor: 1 }] }], {
      orderId: split.orderId,
    });
    await sendEvent(orderSplitV2, split.orderId, barrier);
    await eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE id = $1', [barrier.subOrders[0].subOrderId]),
      (found) => found.length === 1,
    );
    const [counts] = await queryDatabase<{ lines: number; changes: number }>(
      logistics.databaseName,
      `SELECT (SELECT count(*)::int FROM sub_order_line WHERE sub_order_id = $1) AS lines,
              (SELECT count(*)::int FROM sub_order_state_change WHERE sub_order_id = $1) AS changes`,
      [split.subOrders[0].subOrderId],
    );
    expect(counts).toEqual({ lines: 1, changes: 1 });
  });
});
