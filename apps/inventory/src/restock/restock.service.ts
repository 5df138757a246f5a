import type { RestockRequestedV1, ReturnInspectedV1 } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StockLedger } from '../stock/stock-ledger.js';

/** The reason on the ledger rows of goods after-sales sends back. */
export const AFTER_SALES_RESTOCK_REASON = 'AFTER_SALES';

interface Restock {
  orderId: string;
  /** The requester's idempotency handle: one booking per restockId and SKU. */
  restockId: string;
  warehouseId: string;
  reason: string;
  lines: readonly { skuId: string; quantity: number }[];
}

/**
 * Units of a paid order that come back to a warehouse (docs/domain.md §7, §5, §8): a RETURN
 * movement per SKU, keyed by the request, so the same restock is booked once however often it is
 * asked for. Returned goods that fail after-sales' inspection are booked the same way as DAMAGED:
 * counted, never sellable.
 */
@Injectable()
export class RestockService {
  constructor(private readonly ledger: StockLedger) {}

  /** Orders' restock.requested: a stopped sub-order's or a returned parcel's units, back on the shelf. */
  restock(manager: EntityManager, request: RestockRequestedV1): Promise<void> {
    return this.book(manager, request, 'RETURN');
  }

  /** After-sales' return.inspected: SELLABLE goods back on the shelf (RETURN), DAMAGED ones booked as damaged. */
  returnInspected(manager: EntityManager, inspection: ReturnInspectedV1): Promise<void> {
    return this.book(
      manager,
      { ...inspection, reason: AFTER_SALES_RESTOCK_REASON },
      inspection.condition === 'SELLABLE' ? 'RETURN' : 'DAMAGED',
    );
  }

  private async book(manager: EntityManager, request: Restock, kind: 'RETURN' | 'DAMAGED'): Promise<void> {
    // RETURN keeps the keys restocks always had; a DAMAGED booking has its own, so one request's
    // sellable and damaged units of a SKU are both booked.
    const keyOf = (skuId: string) => `${kind === 'RETURN' ? 'restock' : 'damaged'}:${request.restockId}:${skuId}`;
    // One movement per SKU (its key is unique), whatever the lines repeat.
    const bySku = new Map<string, number>();
    for (const line of request.lines) bySku.set(line.skuId, (bySku.get(line.skuId) ?? 0) + line.quantity);
    const lines = [...bySku]
      .map(([skuId, quantity]) => ({ skuId, quantity }))
      .sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
    const booked: unknown[] = await manager.query('SELECT 1 FROM stock_movement WHERE request_key = ANY($1::text[]) LIMIT 1', [
      lines.map((line) => keyOf(line.skuId)),
    ]);
    if (booked.length > 0) return;
    await this.mustKnow(manager, request, lines);
    // Levels in (sku, warehouse) order, as every stock change takes them; a level that went away is made again.
    await this.ledger.lockLevels(
      manager,
      lines.map((line) => line.skuId),
    );
    for (const line of lines) await this.ledger.lockLevel(manager, line.skuId, request.warehouseId);
    await this.ledger.record(
      manager,
      lines.map((line) => ({
        skuId: line.skuId,
        warehouseId: request.warehouseId,
        kind,
        quantity: line.quantity,
        orderId: request.orderId,
        reason: request.reason,
        requestKey: keyOf(line.skuId),
      })),
    );
  }

  /**
   * Units come back only to a warehouse and as SKUs the catalog has. Otherwise the event fails
   * (and is dead-lettered) with a reason that says what to create before replaying it, rather than
   * the foreign-key violation of its stock level, which names neither.
   */
  private async mustKnow(manager: EntityManager, request: Restock, lines: readonly { skuId: string }[]): Promise<void> {
    const [{ warehouse, skus }]: { warehouse: boolean; skus: string[] }[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM warehouse WHERE id = $1) AS warehouse,
              ARRAY(SELECT id FROM sku WHERE id = ANY($2::text[])) AS skus`,
      [request.warehouseId, lines.map((line) => line.skuId)],
    );
    const missing = [
      ...(warehouse ? [] : [`warehouse ${request.warehouseId}`]),
      ...lines.filter((line) => !skus.includes(line.skuId)).map((line) => `SKU ${line.skuId}`),
    ];
    if (missing.length === 0) return;
    throw new Error(
      `restock ${request.restockId}: the catalog has no ${missing.join(', no ')}; replay the event once it has ${missing.length === 1 ? 'it' : 'them'}`,
    );
  }
}
