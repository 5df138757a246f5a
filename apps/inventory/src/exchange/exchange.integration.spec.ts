import { randomUUID } from 'node:crypto';
import {
  type ReplacementStockDeductedV1,
  replacementStockDeducted,
  replacementStockUnavailable,
  stockDeducted,
  Topics,
} from '@mallard/contracts';
import { eventually } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { again, exchangeAsked, InventoryHarness, paid, placed } from '../testing/inventory-harness.js';

interface Movement {
  kind: string;
  skuId: string;
  warehouseId: string;
  onHandDelta: number;
  heldDelta: number;
  orderId: string | null;
  reason: string | null;
}

describe('the replacement of an exchange (real Kafka and PostgreSQL)', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    inventory = await InventoryHarness.start();
  });
  afterAll(async () => {
    await inventory?.stop();
  });

  const movementsOf = async (orderId: string): Promise<Movement[]> =>
    ((await inventory.http('GET', `/internal/stock/movements?orderId=${orderId}`)).body as Movement[]).reverse();
  const levelsOf = async (skuId: string) =>
    (
      (await inventory.http('GET', `/internal/skus/${skuId}/stock`)).body as {
        warehouses: { warehouseId: string; onHand: number; held: number }[];
      }
    ).warehouses.map(({ warehouseId, onHand, held }) => ({ warehouseId, onHand, held }));
  /** inventory's answers about an order's replacements, in the order they were published. */
  const answersTo = (orderId: string) =>
    inventory.published.all.filter(
      (event) => event.subject === orderId && [replacementStockDeducted.type, replacementStockUnavailable.type].includes(event.type),
    );
  /**
   * Sends the events, then one more exchange of the same order (same partition, so handled after
   * them) and waits for its answer: by then every event before it was handled. Returns the answers
   * published meanwhile, but the last one's.
   */
  const sendAndSettle = async (events: ReturnType<typeof exchangeAsked>[]) => {
    const { orderId, merchantId } = events[0].data;
    const before = answersTo(orderId).length;
    const marker = exchangeAsked(orderId, merchantId, [{ skuId: 'sku-no-such-thing', quantity: 1 }]);
    await inventory.send([...events, marker], Topics.afterSales);
    const answers = await eventually(
      async () => answersTo(orderId).slice(before),
      (found) => found.some((event) => event.data.requestId === marker.data.requestId),
    );
    expect(answers.at(-1)).toMatchObject({ type: replacementStockUnavailable.type, data: { skuIds: ['sku-no-such-thing'] } });
    return answers.slice(0, -1);
  };

  it('deducts the replacement from one warehouse of the merchant, says where, and does it once per request', async () => {
    const mug = await inventory.stockedSku({ east: 5 });
    const kettle = await inventory.stockedSku({ east: 2 }, { merchantId: mug.merchantId });
    const [east] = mug.warehouseIds;
    const orderId = randomUUID();
    const exchange = exchangeAsked(orderId, mug.merchantId, [
      { skuId: mug.skuId, quantity: 2 },
      { skuId: kettle.skuId, quantity: 1 },
    ]);
    // Delivered twice (the inbox), then the same request as a new event (the request's own keys).
    const answers = await sendAndSettle([exchange, again(exchange), again(exchange, { newId: true })]);

    expect(answers.map((event) => [event.type, event.data])).toEqual([
      [
        replacementStockDeducted.type,
        {
          orderId,
          requestId: exchange.data.requestId,
          replacementSubOrderId: exchange.data.replacementSubOrderId,
          warehouseId: east,
          merchantId: mug.merchantId,
          fulfilmentType: 'SELF_OPERATED',
          lines: [
            { lineId: exchange.data.lines[0].lineId, skuId: mug.skuId, skuName: `Test SKU ${mug.skuId}`, quantity: 2 },
            { lineId: exchange.data.lines[1].lineId, skuId: kettle.skuId, skuName: `Test SKU ${kettle.skuId}`, quantity: 1 },
          ],
          deductedAt: expect.any(String),
        },
      ],
    ]);
    expect(await levelsOf(mug.skuId)).toEqual([{ warehouseId: east, onHand: 3, held: 0 }]);
    expect(await levelsOf(kettle.skuId)).toEqual([{ warehouseId: east, onHand: 1, held: 0 }]);
    const movements = await movementsOf(orderId);
    expect(movements.map((row) => [row.kind, row.skuId, row.warehouseId, row.onHandDelta, row.heldDelta, row.reason]).sort()).toEqual(
      [
        ['DEDUCTION', mug.skuId, east, -2, 0, 'EXCHANGE'],
        ['DEDUCTION', kettle.skuId, east, -1, 0, 'EXCHANGE'],
      ].sort(),
    );
    const [decided] = await inventory.query<{ outcome: string; warehouse_id: string }>(
      'SELECT outcome, warehouse_id FROM replacement WHERE request_id = $1',
      [exchange.data.requestId],
    );
    expect(decided).toEqual({ outcome: 'DEDUCTED', warehouse_id: east });
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('takes it from the warehouse the exchanged line shipped from, when that one has it', async () => {
    // east (the smaller id) has 1, west 5: the order's 3 units go from west.
    const mug = await inventory.stockedSku({ east: 1, west: 5 });
    const [east, west] = mug.warehouseIds;
    const lineId = randomUUID();
    const order = placed([{ skuId: mug.skuId, quantity: 3, lineId }]);
    await inventory.send([order, paid(order)]);
    const [deducted] = await inventory.published.waitFor(stockDeducted, order.data.orderId);
    expect(deducted.data.allocations).toEqual([{ lineId, skuId: mug.skuId, warehouseId: west, quantity: 3 }]);

    // Either warehouse could send one more; west sent the original.
    const exchange = exchangeAsked(order.data.orderId, mug.merchantId, [{ lineId, skuId: mug.skuId, quantity: 1 }]);
    await inventory.send([exchange], Topics.afterSales);
    const [replacement] = await inventory.published.waitFor<ReplacementStockDeductedV1>(replacementStockDeducted, order.data.orderId);
    expect(replacement.data.warehouseId).toBe(west);
    expect(await levelsOf(mug.skuId)).toEqual([
      { warehouseId: east, onHand: 1, held: 0 },
      { warehouseId: west, onHand: 1, held: 0 },
    ]);
  });

  it('deducts nothing when no single warehouse has it all, names the SKUs short, and keeps that answer for the request', async () => {
    const mug = await inventory.stockedSku({ east: 2, west: 1 });
    const [east, west] = mug.warehouseIds;
    const kettle = await inventory.stockedSku({ west: 2 }, { merchantId: mug.merchantId });
    const orderId = randomUUID();
    // Two mugs are in east only, the kettle in west only: never both in one warehouse.
    const apart = exchangeAsked(orderId, mug.merchantId, [
      { skuId: mug.skuId, quantity: 2 },
      { skuId: kettle.skuId, quantity: 1 },
    ]);
    // 3 mugs exist only as 2 + 1 in two warehouses; the unknown SKU is short as well.
    const tooMany = exchangeAsked(orderId, mug.merchantId, [
      { skuId: mug.skuId, quantity: 3 },
      { skuId: 'sku-unknown', quantity: 1 },
    ]);
    const answers = await sendAndSettle([apart, tooMany]);
    expect(answers.map((event) => [event.type, event.data.requestId, event.data.skuIds])).toEqual([
      [replacementStockUnavailable.type, apart.data.requestId, [mug.skuId, kettle.skuId]],
      [replacementStockUnavailable.type, tooMany.data.requestId, [mug.skuId, 'sku-unknown']],
    ]);
    expect(answers[0].data).toEqual({
      orderId,
      requestId: apart.data.requestId,
      replacementSubOrderId: apart.data.replacementSubOrderId,
      skuIds: [mug.skuId, kettle.skuId],
      failedAt: expect.any(String),
    });

    // Stock arrives that would serve the first request, which then comes again as a new event:
    // it was answered, and is not decided again.
    await inventory.receive(kettle.skuId, east, 5);
    expect(await sendAndSettle([again(apart, { newId: true })])).toEqual([]);

    expect(await movementsOf(orderId)).toEqual([]);
    expect(await levelsOf(mug.skuId)).toEqual([
      { warehouseId: east, onHand: 2, held: 0 },
      { warehouseId: west, onHand: 1, held: 0 },
    ]);
    expect(await levelsOf(kettle.skuId)).toEqual([
      { warehouseId: east, onHand: 5, held: 0 },
      { warehouseId: west, onHand: 2, held: 0 },
    ]);
    const requests = [apart.data.requestId, tooMany.data.requestId];
    const decided = await inventory.query<{ request_id: string; outcome: string; unavailable_sku_ids: string[] }>(
      'SELECT request_id, outcome, unavailable_sku_ids FROM replacement WHERE order_id = $1 AND request_id = ANY($2::uuid[])',
      [orderId, requests],
    );
    expect(decided.sort((a, b) => requests.indexOf(a.request_id) - requests.indexOf(b.request_id))).toEqual([
      { request_id: apart.data.requestId, outcome: 'UNAVAILABLE', unavailable_sku_ids: [mug.skuId, kettle.skuId] },
      { request_id: tooMany.data.requestId, outcome: 'UNAVAILABLE', unavailable_sku_ids: [mug.skuId, 'sku-unknown'] },
    ]);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });
});
