import { randomUUID } from 'node:crypto';
import { deadLetterTopicOf, Topics } from '@mallard/contracts';
import { eventually, readTopic } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { again, InventoryHarness, inspected, replacementBack } from '../testing/inventory-harness.js';

interface Movement {
  kind: string;
  skuId: string;
  warehouseId: string;
  onHandDelta: number;
  heldDelta: number;
  damagedDelta: number;
  orderId: string | null;
  reason: string | null;
}

/** The units of the last inspection sendAndSettle sends, told apart from every other row by their number. */
const MARKER_UNITS = 10;

describe('returned goods inspected by after-sales (real Kafka and PostgreSQL)', () => {
  let inventory: InventoryHarness;

  beforeAll(async () => {
    inventory = await InventoryHarness.start();
  });
  afterAll(async () => {
    await inventory?.stop();
  });

  /** The order's ledger rows, oldest first. */
  const movementsOf = async (orderId: string): Promise<Movement[]> =>
    ((await inventory.http('GET', `/internal/stock/movements?orderId=${orderId}`)).body as Movement[]).reverse();
  const levelOf = async (skuId: string, warehouseId: string) =>
    (
      (await inventory.http('GET', `/internal/skus/${skuId}/stock`)).body as { warehouses: { warehouseId: string; onHand: number }[] }
    ).warehouses.find((level) => level.warehouseId === warehouseId);
  /**
   * Sends the events, then one last inspection of the same order (same partition, so handled
   * after them) and waits for its row: by then every event before it was handled.
   */
  const sendAndSettle = async (
    events: (ReturnType<typeof inspected> | ReturnType<typeof replacementBack>)[],
    skuId: string,
    warehouseId: string,
  ): Promise<Movement[]> => {
    const orderId = events[0].data.orderId;
    const marker = inspected(orderId, randomUUID(), warehouseId, 'SELLABLE', [{ skuId, quantity: MARKER_UNITS }]);
    await inventory.send([...events, marker], Topics.afterSales);
    const rows = await eventually(
      () => movementsOf(orderId),
      (movements) => movements.some((movement) => movement.onHandDelta === MARKER_UNITS),
    );
    // The marker's row is the last; it is not what the test is about.
    expect(rows.at(-1)).toMatchObject({ kind: 'RETURN', onHandDelta: MARKER_UNITS });
    return rows.slice(0, -1);
  };

  it('puts SELLABLE returns back on the shelf once, however often the inspection arrives', async () => {
    const {
      skuId,
      warehouseIds: [warehouseId],
    } = await inventory.stockedSku({ east: 5 });
    const orderId = randomUUID();
    // Two lines of one SKU: one RETURN row of both.
    const sellable = inspected(orderId, randomUUID(), warehouseId, 'SELLABLE', [
      { skuId, quantity: 2 },
      { skuId, quantity: 1 },
    ]);
    const rows = await sendAndSettle([sellable, again(sellable), again(sellable, { newId: true })], skuId, warehouseId);

    expect(rows).toEqual([
      {
        id: expect.any(String),
        kind: 'RETURN',
        skuId,
        warehouseId,
        onHandDelta: 3,
        heldDelta: 0,
        damagedDelta: 0,
        orderId,
        reason: 'AFTER_SALES',
        createdAt: expect.any(String),
      },
    ]);
    // 5 + 3, and the last inspection's.
    expect(await levelOf(skuId, warehouseId)).toMatchObject({ onHand: 5 + 3 + MARKER_UNITS });
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('puts an exchange replacement that came back on its shelf once, as after-sales asks', async () => {
    const {
      skuId,
      warehouseIds: [warehouseId],
    } = await inventory.stockedSku({ east: 5 });
    const orderId = randomUUID();
    const back = replacementBack(orderId, `replacement:${randomUUID()}`, warehouseId, [{ skuId, quantity: 2 }]);
    const rows = await sendAndSettle([back, again(back), again(back, { newId: true })], skuId, warehouseId);
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'RETURN', skuId, warehouseId, onHandDelta: 2, orderId, reason: 'PARCEL_RETURNED' }),
    ]);
    expect(await levelOf(skuId, warehouseId)).toMatchObject({ onHand: 5 + 2 + MARKER_UNITS });
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('books DAMAGED returns as damaged units, once, without adding sellable stock', async () => {
    const {
      skuId,
      warehouseIds: [warehouseId],
    } = await inventory.stockedSku({ east: 5 });
    const orderId = randomUUID();
    const requestId = randomUUID();
    const damaged = inspected(orderId, requestId, warehouseId, 'DAMAGED', [{ skuId, quantity: 2 }]);
    // The same request's sellable units of the same SKU are a booking of their own.
    const sellable = inspected(orderId, requestId, warehouseId, 'SELLABLE', [{ skuId, quantity: 1 }]);
    const rows = await sendAndSettle([damaged, again(damaged), again(damaged, { newId: true }), sellable], skuId, warehouseId);

    expect(rows.map((row) => [row.kind, row.onHandDelta, row.heldDelta, row.damagedDelta, row.reason])).toEqual([
      ['DAMAGED', 0, 0, 2, 'AFTER_SALES'],
      ['RETURN', 1, 0, 0, 'AFTER_SALES'],
    ]);
    // 5, + 1 sellable, and the last inspection's: the 2 damaged units are not on hand.
    expect(await levelOf(skuId, warehouseId)).toMatchObject({ onHand: 6 + MARKER_UNITS, held: 0, available: 6 + MARKER_UNITS });
    const [damagedUnits] = await inventory.query<{ units: number }>(
      'SELECT sum(damaged_delta)::int AS units FROM stock_movement WHERE sku_id = $1 AND warehouse_id = $2',
      [skuId, warehouseId],
    );
    expect(damagedUnits.units).toBe(2);
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });

  it('refuses a DAMAGED row that adds sellable stock, and a damaged count on any other kind (CHECK)', async () => {
    const {
      skuId,
      warehouseIds: [warehouseId],
    } = await inventory.stockedSku({ east: 1 });
    const orderId = randomUUID();
    const insert = (kind: string, onHand: number, damaged: number) =>
      inventory.query(
        `INSERT INTO stock_movement (sku_id, warehouse_id, kind, on_hand_delta, held_delta, damaged_delta, order_id)
         VALUES ($1, $2, $3, $4, 0, $5, $6)`,
        [skuId, warehouseId, kind, onHand, damaged, orderId],
      );
    await expect(insert('DAMAGED', 1, 1)).rejects.toThrow(/stock_movement_shape/);
    await expect(insert('DAMAGED', 0, 0)).rejects.toThrow(/stock_movement_shape/);
    await expect(insert('RETURN', 1, 1)).rejects.toThrow(/stock_movement_shape/);
    await expect(insert('DAMAGED', 0, 1)).resolves.toBeDefined();
  });

  it('dead-letters units sent back to a warehouse or as a SKU the catalog lacks, naming them, and books them once replayed after they exist', async () => {
    const { skuId, merchantId } = await inventory.stockedSku({ east: 5 });
    const orderId = randomUUID();
    const warehouseId = `north-${inventory.suffix}`;
    const newSkuId = `sku-${randomUUID().slice(0, 8)}`;
    const back = replacementBack(orderId, `exchange:${orderId}`, warehouseId, [
      { skuId, quantity: 2 },
      { skuId: newSkuId, quantity: 1 },
    ]);
    await inventory.send([back], Topics.afterSales);
    const [dead] = await readTopic(deadLetterTopicOf(inventory.consumerGroup), 1, 30_000, (record) => record.headers.ce_id === back.id);
    expect(dead.headers.dlq_kind).toBe('handler-failed');
    expect(dead.headers.dlq_reason).toContain(
      `restock exchange:${orderId}: the catalog has no warehouse ${warehouseId}, no SKU ${newSkuId}; replay the event once it has them`,
    );
    expect(await movementsOf(orderId)).toEqual([]);

    // What an operator does: the warehouse and the SKU made in the catalog, then the same record
    // replayed (sent twice here: the inbox keeps it to once).
    expect(
      (await inventory.http('PUT', `/internal/warehouses/${warehouseId}`, { name: 'North', fulfilmentType: 'SELF_OPERATED' })).status,
    ).toBe(201);
    const sku = { merchantId, name: 'Tea, new tin', priceMinor: 1000, currency: 'EUR', onShelf: true, fulfilmentType: 'SELF_OPERATED' };
    expect((await inventory.http('PUT', `/internal/skus/${newSkuId}`, sku)).status).toBe(201);
    await inventory.send([back, again(back)], Topics.afterSales);
    await inventory.waitUntilHandled(back.id);
    const rows = await eventually(
      () => movementsOf(orderId),
      (found) => found.length === 2,
    );
    expect(rows.map((row) => [row.kind, row.skuId, row.warehouseId, row.onHandDelta])).toEqual(
      [
        ['RETURN', skuId, warehouseId, 2],
        ['RETURN', newSkuId, warehouseId, 1],
      ].sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1)),
    );
    expect(await inventory.ledgerMismatches()).toEqual([]);
  });
});
