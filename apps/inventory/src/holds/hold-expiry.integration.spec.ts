import { setTimeout as sleep } from 'node:timers/promises';
import {
  type StockDeductedV1,
  type StockDeductionFailedV1,
  type StockReleasedV1,
  stockDeducted,
  stockDeductionFailed,
  stockReleased,
  stockReserved,
} from '@mallard/contracts';
import { eventually } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelled, InventoryHarness, paid, placed } from '../testing/inventory-harness.js';

const TTL_SECONDS = 2;

describe('hold expiry, swept by two instances on real Kafka and PostgreSQL', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    // Two instances: their sweepers race each other over the same rows.
    inventory = await InventoryHarness.start(
      { STOCK_HOLD_TTL_SECONDS: String(TTL_SECONDS), HOLD_SWEEP_INTERVAL_MS: '200', HOLD_SWEEP_BATCH_SIZE: '7' },
      { instances: 2 },
    );
  });

  afterAll(async () => {
    await inventory?.stop();
  });

  const totals = async (skuId: string) => (await inventory.http('GET', `/internal/skus/${skuId}/stock`)).body.totals;

  it('releases each lapsed hold exactly once, and a later cancel publishes nothing', async () => {
    const sku = await inventory.stockedSku({ w1: 40 });
    const orders = Array.from({ length: 25 }, () => placed([{ skuId: sku.skuId, quantity: 1 }]));
    await inventory.send(orders);
    await eventually(
      async () => orders.filter((order) => inventory.published.of(stockReserved, order.data.orderId).length > 0).length,
      (count) => count === 25,
    );

    const released = await eventually(
      async () => orders.flatMap((order) => inventory.published.of<StockReleasedV1>(stockReleased, order.data.orderId)),
      (events) => events.length >= 25,
      { timeoutMs: 30_000 },
    );
    expect(released.every((event) => event.data.reason === 'HOLD_EXPIRED' && event.data.allocations[0].quantity === 1)).toBe(true);
    expect(await totals(sku.skuId)).toEqual({ onHand: 40, held: 0, available: 40 });

    const cancel = cancelled(orders[0].data.orderId);
    await inventory.send([cancel]);
    await inventory.waitUntilHandled(cancel.id);
    await sleep(1_000); // a few more sweeps
    for (const order of orders) expect(inventory.published.of(stockReleased, order.data.orderId)).toHaveLength(1);
    const states = await inventory.query<{ state: string; n: number }>(
      'SELECT state, count(*)::int AS n FROM order_stock WHERE order_id = ANY($1::uuid[]) GROUP BY state ORDER BY state',
      [orders.map((order) => order.data.orderId)],
    );
    expect(states).toEqual([
      { state: 'CANCELLED', n: 1 },
      { state: 'EXPIRED', n: 24 },
    ]);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('deducts an order paid after its hold lapsed when the stock is still there', async () => {
    const sku = await inventory.stockedSku({ w1: 1 });
    const order = placed([{ skuId: sku.skuId, quantity: 1 }]);
    await inventory.send([order]);
    await inventory.published.waitFor(stockReleased, order.data.orderId, 1, 15_000);
    await inventory.send([paid(order)]);
    const [deducted] = await inventory.published.waitFor<StockDeductedV1>(stockDeducted, order.data.orderId);
    expect(deducted.data.allocations).toEqual([{ lineId: 'line-1', skuId: sku.skuId, warehouseId: sku.warehouseIds[0], quantity: 1 }]);
    expect(await totals(sku.skuId)).toEqual({ onHand: 0, held: 0, available: 0 });
  });

  it('fails an order paid after its hold lapsed and its stock went to someone else', async () => {
    const sku = await inventory.stockedSku({ w1: 1 });
    const late = placed([{ skuId: sku.skuId, quantity: 1 }]);
    await inventory.send([late]);
    await inventory.published.waitFor(stockReleased, late.data.orderId, 1, 15_000);
    const prompt = placed([{ skuId: sku.skuId, quantity: 1 }]);
    await inventory.send([prompt, paid(prompt)]);
    await inventory.published.waitFor(stockDeducted, prompt.data.orderId);

    await inventory.send([paid(late)]);
    const [failed] = await inventory.published.waitFor<StockDeductionFailedV1>(stockDeductionFailed, late.data.orderId);
    expect(failed.data.shortages).toEqual([{ skuId: sku.skuId, reason: 'INSUFFICIENT_STOCK', requested: 1, available: 0 }]);
    expect(await totals(sku.skuId)).toEqual({ onHand: 0, held: 0, available: 0 });
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });
});
