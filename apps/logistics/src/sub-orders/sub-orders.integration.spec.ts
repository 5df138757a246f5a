import { randomUUID } from 'node:crypto';
import {
  deadLetterTopicOf,
  newCloudEvent,
  orderSplitV2,
  type ReplacementStockDeductedV1,
  replacementStockDeducted,
  subOrderStateChanged,
  Topics,
} from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import {
  callService,
  dropDatabase,
  eventually,
  queryDatabase,
  readTopic,
  sendEvent,
  sendEvents,
  startTestService,
  type TestService,
} from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogisticsConfig } from '../config/logistics-config.js';
import type { WarehouseSubOrderView } from '../fulfilment/warehouse-sub-order.view.js';
import { logisticsService } from '../service.js';
import { orderSplitOf, replacementOf } from '../testing/logistics-test-kit.js';

describe('logistics: sub-orders from order.split, on real Kafka and PostgreSQL', () => {
  let logistics: TestService<LogisticsConfig>;

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

  /** replacement.stock-deducted as inventory's relay sends it. */
  const asInventory = (data: ReplacementStockDeductedV1) =>
    newCloudEvent({
      type: replacementStockDeducted.type,
      version: replacementStockDeducted.version,
      source: 'mallard/inventory',
      subject: data.orderId,
      data,
    });

  it('takes an exchange’s replacement on as one more sub-order, unpaid, to the order’s receiver, once; it ships like any other', async () => {
    const split = orderSplitOf(
      [
        {
          warehouseId: 'WH-EAST',
          shippingFeeMinor: 800,
          lines: [{ skuId: 'kettle', quantity: 2, merchandiseMinor: 7998, shippingFeeShareMinor: 800 }],
        },
      ],
      { buyerId: 'buyer-7', currency: 'EUR', deliverySlot: { date: '2026-12-05', from: '09:00', to: '12:00' } },
    );
    await sendEvent(orderSplitV2, split.orderId, split);
    await eventually(
      () => queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE order_id = $1', [split.orderId]),
      (found) => found.length === 1,
    );
    const [original] = split.subOrders;
    const replacement = replacementOf(split, {
      warehouseId: 'WH-WEST',
      lines: [{ lineId: original.lines[0].lineId, skuId: 'kettle-blue', skuName: 'Kettle, blue', quantity: 2 }],
    });
    const event = asInventory(replacement);
    // The same request under another sub-order id: still the one replacement.
    const sameRequest = replacementOf(split, { requestId: replacement.requestId });
    // Another exchange of the order, from the platform: held back like any platform purchase. It
    // comes after the others on the order's partition, so once it is here they were all handled.
    const platform = replacementOf(split, { warehouseId: 'GLOBALMART', fulfilmentType: 'THIRD_PARTY_PLATFORM' });
    await sendEvents(Topics.inventory, [
      event,
      { ...event },
      { ...event, id: randomUUID() },
      asInventory(sameRequest),
      asInventory(platform),
    ]);

    const rows = await eventually(
      () =>
        queryDatabase<{
          id: string;
          position: number;
          state: string;
          version: number;
          buyer_id: string;
          currency: string;
          warehouse_id: string;
          fulfilment_type: string;
          shipping_fee: string;
          paid_amount: string;
          receiver: object;
          delivery_slot: object;
          replacement_for: string | null;
        }>(
          logistics.databaseName,
          `SELECT id, position, state, version, buyer_id, currency, warehouse_id, fulfilment_type, shipping_fee, paid_amount,
                  receiver, delivery_slot, replacement_for
             FROM sub_order WHERE order_id = $1 ORDER BY position`,
          [split.orderId],
        ),
      (found) => found.some((row) => row.id === platform.replacementSubOrderId),
    );
    expect(rows.map((row) => [row.id, row.position, row.warehouse_id, row.fulfilment_type, row.replacement_for])).toEqual([
      [original.subOrderId, 0, 'WH-EAST', 'SELF_OPERATED', null],
      [replacement.replacementSubOrderId, 1, 'WH-WEST', 'SELF_OPERATED', replacement.requestId],
      [platform.replacementSubOrderId, 2, 'GLOBALMART', 'THIRD_PARTY_PLATFORM', platform.requestId],
    ]);
    const taken = rows[1];
    expect([taken.state, taken.version, taken.buyer_id, taken.currency, Number(taken.shipping_fee), Number(taken.paid_amount)]).toEqual([
      'AWAITING_PICK',
      1,
      'buyer-7',
      'EUR',
      0,
      0,
    ]);
    expect(taken.receiver).toEqual(split.receiver);
    expect(taken.delivery_slot).toEqual(split.deliverySlot);
    const lines = await queryDatabase<{ line_id: string; sku_id: string; sku_name: string; quantity: number; paid: string }>(
      logistics.databaseName,
      `SELECT line_id, sku_id, sku_name, quantity, (merchandise + shipping_fee_share + paid_amount)::text AS paid
         FROM sub_order_line WHERE sub_order_id = $1`,
      [replacement.replacementSubOrderId],
    );
    expect(lines).toEqual([{ line_id: original.lines[0].lineId, sku_id: 'kettle-blue', sku_name: 'Kettle, blue', quantity: 2, paid: '0' }]);
    const history = await queryDatabase<{ to_state: string; actor_kind: string; reason: string }>(
      logistics.databaseName,
      'SELECT to_state, actor_kind, reason FROM sub_order_state_change WHERE sub_order_id = $1',
      [replacement.replacementSubOrderId],
    );
    expect(history).toEqual([{ to_state: 'AWAITING_PICK', actor_kind: 'SYSTEM', reason: 'EXCHANGE_REPLACEMENT' }]);
    const [purchase] = await queryDatabase<{ state: string; delay: number }>(
      logistics.databaseName,
      `SELECT p.state, extract(epoch FROM p.due_at - s.paid_at)::int AS delay
         FROM platform_purchase p JOIN sub_order s ON s.id = p.sub_order_id WHERE p.sub_order_id = $1`,
      [platform.replacementSubOrderId],
    );
    expect(purchase).toEqual({ state: 'PENDING', delay: logistics.config.PLATFORM_PURCHASE_DELAY_SECONDS });

    // One sub-order.state-changed each, in order on the order's partition: none twice.
    const events = await readTopic(
      Topics.logistics,
      3,
      20_000,
      (record) => record.key === split.orderId && record.headers.ce_type === subOrderStateChanged.type,
    );
    const changes = events.map((record) => JSON.parse(record.value!));
    expect(changes.map((change) => change.subOrderId)).toEqual([
      original.subOrderId,
      replacement.replacementSubOrderId,
      platform.replacementSubOrderId,
    ]);
    expect(changes[1]).toEqual({
      orderId: split.orderId,
      subOrderId: replacement.replacementSubOrderId,
      warehouseId: 'WH-WEST',
      merchantId: original.merchantId,
      fulfilmentType: 'SELF_OPERATED',
      to: 'AWAITING_PICK',
      version: 1,
      actor: { kind: 'SYSTEM' },
      reason: 'EXCHANGE_REPLACEMENT',
      changedAt: expect.any(String),
    });

    // The warehouse sees it as a replacement and works on it as on any sub-order.
    const staff = { [ACTOR_HEADER]: 'picker-7' };
    const call = (method: string, path: string, body?: unknown) =>
      callService<WarehouseSubOrderView>(logistics.url, method, `/internal${path}`, body, staff);
    const id = replacement.replacementSubOrderId;
    expect((await call('GET', `/sub-orders/${original.subOrderId}`)).body.replacementFor).toBeNull();
    expect((await call('GET', `/sub-orders/${id}`)).body).toMatchObject({
      replacementFor: replacement.requestId,
      state: 'AWAITING_PICK',
      receiver: split.receiver,
      lines: [{ lineId: original.lines[0].lineId, skuId: 'kettle-blue', skuName: 'Kettle, blue', quantity: 2 }],
    });
    expect((await call('POST', `/sub-orders/${id}/pick`)).body.state).toBe('PICKING');
    const packed = await call('POST', `/sub-orders/${id}/pack`, {
      parcels: [{ lines: [{ lineId: original.lines[0].lineId, quantity: 2 }] }],
    });
    expect([packed.status, packed.body.state]).toEqual([200, 'PACKED']);
    const shipped = await call('POST', `/parcels/${packed.body.parcels[0].id}/handover`, {
      carrierCode: 'sf-express',
      trackingNumber: `SFX${Date.now()}`,
    });
    expect([shipped.status, shipped.body.state, shipped.body.version]).toEqual([200, 'SHIPPED', 4]);
    expect(shipped.body.history.map((change) => [change.to, change.reason])).toEqual([
      ['AWAITING_PICK', 'EXCHANGE_REPLACEMENT'],
      ['PICKING', null],
      ['PACKED', null],
      ['SHIPPED', null],
    ]);
  });

  it('dead-letters a replacement for an order it has no sub-order of, having nobody to send it to', async () => {
    const unknown = replacementOf(
      orderSplitOf([{ warehouseId: 'WH-EAST', lines: [{ skuId: 'tea', quantity: 1, merchandiseMinor: 100 }] }]),
    );
    await sendEvent(replacementStockDeducted, unknown.orderId, unknown);
    const [dead] = await readTopic(
      deadLetterTopicOf(logistics.config.KAFKA_CONSUMER_GROUP!),
      1,
      30_000,
      (record) => record.key === unknown.orderId,
    );
    expect(dead.headers.dlq_kind).toBe('handler-failed');
    expect(dead.headers.dlq_reason).toContain(`order ${unknown.orderId} has no sub-order here`);
    expect(await queryDatabase(logistics.databaseName, 'SELECT 1 FROM sub_order WHERE order_id = $1', [unknown.orderId])).toEqual([]);
  });
});
