import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  replacementStockDeducted,
  type StockDeductedV1,
  type StockDeductionFailedV1,
  type StockReleasedV1,
  type StockReservationFailedV1,
  type StockReservedV1,
  stockDeducted,
  stockDeductionFailed,
  stockReleased,
  stockReservationFailed,
  stockReserved,
  Topics,
} from '@mallard/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { again, cancelled, exchangeAsked, InventoryHarness, inspected, paid, placed } from '../testing/inventory-harness.js';
import { HoldsService, HoldTransitionLostRace } from './holds.service.js';

const INVENTORY_EVENTS = [stockReserved, stockReservationFailed, stockReleased, stockDeducted, stockDeductionFailed];

describe('inventory holds and deductions, driven by order events on real Kafka and PostgreSQL', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    inventory = await InventoryHarness.start();
  });

  afterAll(async () => {
    await inventory?.stop();
  });

  /** Every event inventory published about an order, by type. */
  const publishedFor = (orderId: string): string[] =>
    INVENTORY_EVENTS.flatMap((definition) => inventory.published.of(definition, orderId).map(() => definition.type)).sort();

  const stockOf = async (skuId: string) => (await inventory.http('GET', `/internal/skus/${skuId}/stock`)).body;

  it('holds the reserve-on-order lines of a placed order once, however often the event arrives', async () => {
    const held = await inventory.stockedSku({ w1: 5 });
    const later = await inventory.stockedSku({ w1: 5 });
    const order = placed([
      { skuId: held.skuId, quantity: 2 },
      { skuId: later.skuId, quantity: 1, policy: 'DEDUCT_ON_PAYMENT' },
    ]);
    const republished = again(order, { newId: true });
    await inventory.send([order, again(order), republished]);

    const [reserved] = await inventory.published.waitFor<StockReservedV1>(stockReserved, order.data.orderId);
    await inventory.waitUntilHandled(republished.id);
    await sleep(300);
    expect(publishedFor(order.data.orderId)).toEqual(['stock.reserved']);
    expect(reserved.data.allocations).toEqual([{ lineId: 'line-1', skuId: held.skuId, warehouseId: held.warehouseIds[0], quantity: 2 }]);
    expect(reserved.partitionkey).toBe(order.data.orderId);
    const expiresIn = Date.parse(reserved.data.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(86_000_000);
    expect(expiresIn).toBeLessThanOrEqual(86_400_000);

    expect((await stockOf(held.skuId)).totals).toEqual({ onHand: 5, held: 2, available: 3 });
    expect((await stockOf(later.skuId)).totals).toEqual({ onHand: 5, held: 0, available: 5 });
    expect(await inventory.orderState(order.data.orderId)).toBe('HELD');
    const holds = await inventory.query('SELECT line_id, quantity FROM stock_hold WHERE order_id = $1', [order.data.orderId]);
    expect(holds).toEqual([{ line_id: 'line-1', quantity: 2 }]);
    expect(await inventory.ledgerMismatches()).toEqual([]);

    // Stock held for an order cannot be adjusted away.
    const adjustment = await inventory.http('POST', '/internal/stock/movements', {
      skuId: held.skuId,
      warehouseId: held.warehouseIds[0],
      kind: 'ADJUSTMENT',
      quantity: -4,
      reason: 'count',
    });
    expect(adjustment.status).toBe(422);
    expect(adjustment.body).toMatchObject({ onHand: 5, held: 2 });
  });

  it('answers an order without reserve-on-order lines with an empty reservation', async () => {
    // Enough stock to serve it now (it is checked), none of it held (that waits for payment).
    const sku = await inventory.stockedSku({ w1: 3 });
    const order = placed([{ skuId: sku.skuId, policy: 'DEDUCT_ON_PAYMENT', quantity: 3 }]);
    await inventory.send([order]);
    const [reserved] = await inventory.published.waitFor<StockReservedV1>(stockReserved, order.data.orderId);
    expect(reserved.data.allocations).toEqual([]);
    expect(await inventory.orderState(order.data.orderId)).toBe('NOTHING_HELD');
  });

  it('splits a line over warehouses only when none can serve it alone', async () => {
    const sku = await inventory.stockedSku({ w1: 2, w2: 3 });
    const order = placed([{ skuId: sku.skuId, quantity: 4 }]);
    await inventory.send([order]);
    const [reserved] = await inventory.published.waitFor<StockReservedV1>(stockReserved, order.data.orderId);
    expect(reserved.data.allocations.map((a) => [a.warehouseId, a.quantity])).toEqual([
      [sku.warehouseIds[0], 1],
      [sku.warehouseIds[1], 3],
    ]);
  });

  it('holds nothing and names every shortage when an order cannot be served', async () => {
    const short = await inventory.stockedSku({ w1: 1 });
    const offShelf = await inventory.stockedSku({ w1: 9 }, { onShelf: false });
    const fine = await inventory.stockedSku({ w1: 9 });
    const order = placed([
      { skuId: fine.skuId, quantity: 1 },
      { skuId: short.skuId, quantity: 2 },
      { skuId: offShelf.skuId, quantity: 1 },
      { skuId: 'sku-never-heard-of', quantity: 1 },
    ]);
    await inventory.send([order]);
    const [failed] = await inventory.published.waitFor<StockReservationFailedV1>(stockReservationFailed, order.data.orderId);
    expect(failed.data.shortages).toEqual([
      { skuId: short.skuId, reason: 'INSUFFICIENT_STOCK', requested: 2, available: 1 },
      { skuId: offShelf.skuId, reason: 'OFF_SHELF', requested: 1, available: 9 },
      { skuId: 'sku-never-heard-of', reason: 'UNKNOWN_SKU', requested: 1, available: 0 },
    ]);
    expect((await stockOf(fine.skuId)).totals.held).toBe(0);
    expect(await inventory.orderState(order.data.orderId)).toBe('RESERVATION_FAILED');
  });

  it('releases the holds of a cancelled order exactly once', async () => {
    const sku = await inventory.stockedSku({ w1: 3 });
    const order = placed([{ skuId: sku.skuId, quantity: 3 }]);
    const cancel = cancelled(order.data.orderId);
    const cancelAgain = again(cancel, { newId: true });
    await inventory.send([order, cancel, again(cancel), cancelAgain]);

    const [released] = await inventory.published.waitFor<StockReleasedV1>(stockReleased, order.data.orderId);
    await inventory.waitUntilHandled(cancelAgain.id);
    await sleep(300);
    expect(publishedFor(order.data.orderId)).toEqual(['stock.released', 'stock.reserved']);
    expect(released.data).toEqual({
      orderId: order.data.orderId,
      reason: 'ORDER_CANCELLED',
      allocations: [{ lineId: 'line-1', skuId: sku.skuId, warehouseId: sku.warehouseIds[0], quantity: 3 }],
    });
    expect((await stockOf(sku.skuId)).totals).toEqual({ onHand: 3, held: 0, available: 3 });
    expect(await inventory.orderState(order.data.orderId)).toBe('CANCELLED');
    expect(await inventory.query('SELECT 1 FROM stock_hold WHERE order_id = $1', [order.data.orderId])).toEqual([]);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('treats a release or state change from a stale read as a lost race: stock is given back once, nothing is overwritten', async () => {
    const sku = await inventory.stockedSku({ w1: 2 });
    const order = placed([{ skuId: sku.skuId, quantity: 2 }]);
    await inventory.send([order]);
    await inventory.published.waitFor(stockReserved, order.data.orderId);
    const dataSource = inventory.service.app.get(DataSource);
    const holds = inventory.service.app.get(HoldsService);
    // What a second writer that read HELD before the first one committed would do next.
    const stale = holds as unknown as {
      release(manager: EntityManager, orderIds: string[], reason: string, next: string): Promise<string[]>;
      setState(manager: EntityManager, orderId: string, from: string, state: string, fields: object): Promise<void>;
    };

    const first = await dataSource.transaction((manager) => stale.release(manager, [order.data.orderId], 'ORDER_CANCELLED', 'CANCELLED'));
    const second = await dataSource.transaction((manager) => stale.release(manager, [order.data.orderId], 'HOLD_EXPIRED', 'EXPIRED'));
    expect(first).toEqual([order.data.orderId]);
    expect(second).toEqual([]);
    await expect(
      dataSource.transaction((manager) => stale.setState(manager, order.data.orderId, 'HELD', 'DEDUCTED', {})),
    ).rejects.toBeInstanceOf(HoldTransitionLostRace);

    await inventory.published.waitFor(stockReleased, order.data.orderId);
    await sleep(300);
    expect(inventory.published.of<StockReleasedV1>(stockReleased, order.data.orderId).map((event) => event.data.reason)).toEqual([
      'ORDER_CANCELLED',
    ]);
    expect((await stockOf(sku.skuId)).totals).toEqual({ onHand: 2, held: 0, available: 2 });
    expect(await inventory.orderState(order.data.orderId)).toBe('CANCELLED');
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('never holds for an order whose cancel came first, and publishes nothing for it', async () => {
    const sku = await inventory.stockedSku({ w1: 3 });
    const order = placed([{ skuId: sku.skuId, quantity: 1 }]);
    await inventory.send([cancelled(order.data.orderId), order]);
    await inventory.waitUntilHandled(order.id);
    await sleep(300);
    expect(publishedFor(order.data.orderId)).toEqual([]);
    expect(await inventory.orderState(order.data.orderId)).toBe('CANCELLED');
    expect((await stockOf(sku.skuId)).totals.held).toBe(0);
  });

  it('deducts a paid order once: its holds are consumed and its deduct-on-payment lines taken', async () => {
    const reserve = await inventory.stockedSku({ w1: 5 });
    const onPayment = await inventory.stockedSku({ w1: 4, w2: 4 });
    const order = placed([
      { skuId: reserve.skuId, quantity: 2 },
      { skuId: onPayment.skuId, quantity: 3, policy: 'DEDUCT_ON_PAYMENT' },
    ]);
    await inventory.send([order]);
    await inventory.published.waitFor(stockReserved, order.data.orderId);
    const payment = paid(order);
    const paymentAgain = again(payment, { newId: true });
    await inventory.send([payment, again(payment), paymentAgain, cancelled(order.data.orderId)]);

    const [deducted] = await inventory.published.waitFor<StockDeductedV1>(stockDeducted, order.data.orderId);
    await inventory.waitUntilHandled(paymentAgain.id);
    await sleep(300);
    expect(publishedFor(order.data.orderId)).toEqual(['stock.deducted', 'stock.reserved']);
    // The deduct-on-payment line ships from the warehouse the held line ships from.
    expect(deducted.data.allocations).toEqual([
      { lineId: 'line-1', skuId: reserve.skuId, warehouseId: reserve.warehouseIds[0], quantity: 2 },
      { lineId: 'line-2', skuId: onPayment.skuId, warehouseId: onPayment.warehouseIds[0], quantity: 3 },
    ]);
    expect((await stockOf(reserve.skuId)).totals).toEqual({ onHand: 3, held: 0, available: 3 });
    expect((await stockOf(onPayment.skuId)).totals).toEqual({ onHand: 5, held: 0, available: 5 });
    expect(await inventory.orderState(order.data.orderId)).toBe('DEDUCTED');
    const ledger = await inventory.query<{ kind: string; on_hand_delta: number; held_delta: number }>(
      'SELECT kind, on_hand_delta, held_delta FROM stock_movement WHERE order_id = $1 ORDER BY id',
      [order.data.orderId],
    );
    expect(ledger).toEqual([
      { kind: 'HOLD', on_hand_delta: 0, held_delta: 2 },
      { kind: 'DEDUCTION', on_hand_delta: -2, held_delta: -2 },
      { kind: 'DEDUCTION', on_hand_delta: -3, held_delta: 0 },
    ]);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('fails a payment whose deduct-on-payment stock sold out: deducts nothing and releases the holds', async () => {
    const scarce = await inventory.stockedSku({ w1: 1 }, { policy: 'DEDUCT_ON_PAYMENT' });
    const other = await inventory.stockedSku({ w1: 2 });
    const first = placed([{ skuId: scarce.skuId, quantity: 1, policy: 'DEDUCT_ON_PAYMENT' }]);
    const second = placed([
      { skuId: other.skuId, quantity: 2 },
      { skuId: scarce.skuId, quantity: 1, policy: 'DEDUCT_ON_PAYMENT' },
    ]);
    await inventory.send([first, second]);
    await inventory.published.waitFor(stockReserved, second.data.orderId);
    expect((await stockOf(other.skuId)).totals.held).toBe(2);

    await inventory.send([paid(first)]);
    await inventory.published.waitFor(stockDeducted, first.data.orderId);
    const payment = paid(second);
    await inventory.send([payment, again(payment, { newId: true })]);
    const [failed] = await inventory.published.waitFor<StockDeductionFailedV1>(stockDeductionFailed, second.data.orderId);
    expect(failed.data.shortages).toEqual([{ skuId: scarce.skuId, reason: 'INSUFFICIENT_STOCK', requested: 1, available: 0 }]);
    await sleep(500);
    expect(publishedFor(second.data.orderId)).toEqual(['stock.deduction-failed', 'stock.reserved']);

    expect((await stockOf(other.skuId)).totals).toEqual({ onHand: 2, held: 0, available: 2 });
    expect((await stockOf(scarce.skuId)).totals).toEqual({ onHand: 0, held: 0, available: 0 });
    expect(await inventory.orderState(second.data.orderId)).toBe('DEDUCTION_FAILED');
    const kinds = await inventory.query<{ kind: string }>('SELECT kind FROM stock_movement WHERE order_id = $1 ORDER BY id', [
      second.data.orderId,
    ]);
    expect(kinds.map((row) => row.kind)).toEqual(['HOLD', 'RELEASE']);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('lists the SKUs on flash sale (scarce) with their stock on hand, held and available, and the units sold (not an exchange’s replacement) and returned', async () => {
    const flash = await inventory.stockedSku({ w1: 6, w2: 4 });
    expect((await inventory.http('PATCH', `/internal/skus/${flash.skuId}`, { scarce: true, purchaseLimit: 3 })).status).toBe(200);
    const plain = await inventory.stockedSku({ w1: 5 });
    const bought = placed([{ skuId: flash.skuId, quantity: 3 }]);
    const waiting = placed([{ skuId: flash.skuId, quantity: 2 }]);
    const dropped = placed([{ skuId: flash.skuId, quantity: 1 }]);
    await inventory.send([bought, waiting, dropped]);
    await inventory.published.waitFor(stockReserved, bought.data.orderId);
    await inventory.send([paid(bought), cancelled(dropped.data.orderId)]);
    const [deducted] = await inventory.published.waitFor<StockDeductedV1>(stockDeducted, bought.data.orderId);
    await inventory.published.waitFor(stockReleased, dropped.data.orderId);
    await inventory.published.waitFor(stockReserved, waiting.data.orderId);
    // One unit of the paid order comes back and passes inspection: on the shelf again.
    const back = inspected(bought.data.orderId, randomUUID(), deducted.data.allocations[0].warehouseId, 'SELLABLE', [
      { skuId: flash.skuId, quantity: 1 },
    ]);
    await inventory.send([back], Topics.afterSales);
    await inventory.waitUntilHandled(back.id);
    // Another unit goes out as an exchange's replacement: a DEDUCTION on the ledger, but no sale.
    const exchange = exchangeAsked(bought.data.orderId, flash.merchantId, [{ skuId: flash.skuId, quantity: 1 }]);
    await inventory.send([exchange], Topics.afterSales);
    await inventory.published.waitFor(replacementStockDeducted, bought.data.orderId);
    const [ledgerDeductions] = await inventory.query<{ units: number }>(
      "SELECT sum(-on_hand_delta)::int AS units FROM stock_movement WHERE sku_id = $1 AND kind = 'DEDUCTION'",
      [flash.skuId],
    );
    expect(ledgerDeductions.units).toBe(4);

    const listed = await inventory.http('GET', '/internal/flash-sale-skus');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ page: 1, pageSize: 50 });
    expect(listed.body.items.map((item: { skuId: string }) => item.skuId)).toEqual([flash.skuId]);
    expect(listed.body.total).toBe(1);
    const [item] = listed.body.items;
    expect(item).toMatchObject({
      skuId: flash.skuId,
      name: `Test SKU ${flash.skuId}`,
      priceMinor: 1000,
      currency: 'EUR',
      onShelf: true,
      purchaseLimit: 3,
      onHand: 7,
      held: 2,
      available: 5,
      sold: 3,
      returned: 1,
    });
    // Its levels per warehouse are those of the SKU's stock, and add up to the totals.
    const stock = (await stockOf(flash.skuId)).warehouses.map(({ warehouseId, onHand, held, available }: Record<string, unknown>) => ({
      warehouseId,
      onHand,
      held,
      available,
    }));
    expect(item.warehouses).toEqual(stock);
    expect(item.warehouses.map((level: { warehouseId: string }) => level.warehouseId)).toEqual(flash.warehouseIds);

    expect((await inventory.http('PATCH', `/internal/skus/${plain.skuId}`, { scarce: true })).status).toBe(200);
    const firstPage = await inventory.http('GET', '/internal/flash-sale-skus?pageSize=1');
    const secondPage = await inventory.http('GET', '/internal/flash-sale-skus?pageSize=1&page=2');
    expect([firstPage.body.total, secondPage.body.total]).toEqual([2, 2]);
    const both = [...firstPage.body.items, ...secondPage.body.items];
    expect(both.map((sku: { skuId: string }) => sku.skuId)).toEqual([flash.skuId, plain.skuId].sort());
    expect(both.find((sku: { skuId: string }) => sku.skuId === plain.skuId)).toMatchObject({ onHand: 5, held: 0, sold: 0, returned: 0 });
    expect((await inventory.http('GET', '/internal/flash-sale-skus?pageSize=0')).status).toBe(400);
    expect((await inventory.http('GET', '/internal/flash-sale-skus?page=x')).status).toBe(400);
  });
});
