import { type StockReservedV1, skuUpserted, stockReserved } from '@mallard/contracts';
import { eventually } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryHarness, placed } from '../testing/inventory-harness.js';
import { DEMO_MALL } from './demo-data.js';
import { DemoSeeder } from './demo-seeder.js';

describe('the demo mall, loaded at start with SEED_DEMO_DATA=true', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    inventory = await InventoryHarness.start({ SEED_DEMO_DATA: 'true' });
  });

  afterAll(async () => {
    await inventory?.stop();
  });

  it('has merchants, warehouses of every fulfilment type, SKUs of both policies and opening stock', async () => {
    const counts = await inventory.query<{ merchants: number; warehouses: number; skus: number; receipts: number }>(`
      SELECT (SELECT count(*)::int FROM merchant) AS merchants, (SELECT count(*)::int FROM warehouse) AS warehouses,
             (SELECT count(*)::int FROM sku) AS skus, (SELECT count(*)::int FROM stock_movement WHERE kind = 'RECEIPT') AS receipts`);
    expect(counts).toEqual([{ merchants: 3, warehouses: 3, skus: DEMO_MALL.skus.length, receipts: DEMO_MALL.receipts.length }]);
    const list = await inventory.http('GET', `/internal/skus?ids=${DEMO_MALL.skus.map((sku) => sku.id).join(',')}`);
    expect(list.body.missing).toEqual([]);
    const policies = new Set(list.body.items.map((sku: { effectiveStockPolicy: string }) => sku.effectiveStockPolicy));
    expect(policies).toEqual(new Set(['RESERVE_ON_ORDER', 'DEDUCT_ON_PAYMENT']));
    expect(list.body.items.find((sku: { id: string }) => sku.id === 'sku-console-limited')).toMatchObject({
      scarce: true,
      purchaseLimit: 1,
      stock: { available: 10 },
    });
    const fulfilment = await inventory.query<{ fulfilment_type: string }>('SELECT DISTINCT fulfilment_type FROM warehouse ORDER BY 1');
    expect(fulfilment.map((row) => row.fulfilment_type)).toEqual(['DROP_SHIP', 'SELF_OPERATED', 'THIRD_PARTY_PLATFORM']);
    // Orders learn the catalogue the usual way.
    await eventually(
      async () => new Set(inventory.published.of(skuUpserted).map((event) => event.subject)).size,
      (n) => n === DEMO_MALL.skus.length,
    );
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('loads again without a second effect, even twice at once, and keeps staff edits', async () => {
    await inventory.http('PATCH', '/internal/skus/sku-kettle', { priceMinor: 3499 });
    const seeder = inventory.service.app.get(DemoSeeder);
    const created = await Promise.all([seeder.seed(DEMO_MALL), seeder.seed(DEMO_MALL)]);
    expect(created).toEqual([0, 0]);
    const [{ receipts, on_hand }] = await inventory.query<{ receipts: number; on_hand: number }>(
      `SELECT count(*)::int AS receipts, (SELECT sum(on_hand)::int FROM stock_level) AS on_hand FROM stock_movement WHERE kind = 'RECEIPT'`,
    );
    expect(receipts).toBe(DEMO_MALL.receipts.length);
    expect(on_hand).toBe(DEMO_MALL.receipts.reduce((sum, receipt) => sum + receipt.quantity, 0));
    expect((await inventory.http('GET', '/internal/skus/sku-kettle')).body).toMatchObject({ priceMinor: 3499, revision: 2 });
  });

  it('serves an order across the demo warehouses', async () => {
    const order = placed([
      { skuId: 'sku-kettle', quantity: 1 },
      { skuId: 'sku-honey', quantity: 2 },
      { skuId: 'sku-sneakers', quantity: 1 },
    ]);
    await inventory.send([order]);
    const [reserved] = await inventory.published.waitFor<StockReservedV1>(stockReserved, order.data.orderId);
    expect(reserved.data.allocations.map((a) => `${a.skuId}@${a.warehouseId}`)).toEqual([
      'sku-kettle@wh-mallard-central',
      'sku-honey@wh-green-pantry-farm',
      'sku-sneakers@wh-globalmart',
    ]);
  });
});
