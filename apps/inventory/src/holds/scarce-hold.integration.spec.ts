import { setTimeout as sleep } from 'node:timers/promises';
import { type StockReleasedV1, type StockReservedV1, stockReleased, stockReserved } from '@mallard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryHarness, placed } from '../testing/inventory-harness.js';

describe('scarce SKUs are held for SCARCE_HOLD_TTL_SECONDS, on real Kafka and PostgreSQL', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    inventory = await InventoryHarness.start({
      STOCK_HOLD_TTL_SECONDS: '3600',
      SCARCE_HOLD_TTL_SECONDS: '1',
      HOLD_SWEEP_INTERVAL_MS: '200',
    });
  });

  afterAll(async () => {
    await inventory?.stop();
  });

  it('releases the holds of an order with a scarce SKU after the short TTL and keeps the others', async () => {
    const scarce = await inventory.stockedSku({ w1: 5 });
    expect((await inventory.http('PATCH', `/internal/skus/${scarce.skuId}`, { scarce: true })).status).toBe(200);
    const plain = await inventory.stockedSku({ w1: 5 });
    const scarceOrder = placed([{ skuId: scarce.skuId, quantity: 1 }]);
    const plainOrder = placed([{ skuId: plain.skuId, quantity: 1 }]);
    // One scarce line makes the whole order's holds short-lived, its plain line included.
    const mixedOrder = placed([
      { skuId: plain.skuId, quantity: 2 },
      { skuId: scarce.skuId, quantity: 1 },
    ]);
    const sentAt = Date.now();
    await inventory.send([scarceOrder, plainOrder, mixedOrder]);

    const [plainReserved] = await inventory.published.waitFor<StockReservedV1>(stockReserved, plainOrder.data.orderId);
    expect(Date.parse(plainReserved.data.expiresAt) - sentAt).toBeGreaterThan(3_500_000);
    for (const order of [scarceOrder, mixedOrder]) {
      const [reserved] = await inventory.published.waitFor<StockReservedV1>(stockReserved, order.data.orderId);
      expect(Date.parse(reserved.data.expiresAt) - sentAt).toBeLessThan(60_000);
      const [released] = await inventory.published.waitFor<StockReleasedV1>(stockReleased, order.data.orderId, 1, 15_000);
      expect(released.data.reason).toBe('HOLD_EXPIRED');
    }
    await sleep(500); // a few more sweeps
    expect(inventory.published.of(stockReleased, plainOrder.data.orderId)).toEqual([]);
    expect(await inventory.orderState(plainOrder.data.orderId)).toBe('HELD');
    expect((await inventory.http('GET', `/internal/skus/${scarce.skuId}/stock`)).body.totals).toEqual({ onHand: 5, held: 0, available: 5 });
    expect((await inventory.http('GET', `/internal/skus/${plain.skuId}/stock`)).body.totals).toEqual({ onHand: 5, held: 1, available: 4 });
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });
});
