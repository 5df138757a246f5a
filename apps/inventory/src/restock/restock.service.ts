import type { RestockRequestedV1 } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StockLedger } from '../stock/stock-ledger.js';

/**
 * Units of a paid order that come back to a warehouse (docs/domain.md §7, §5): a RETURN movement
 * per SKU, keyed by the request, so the same restock is booked once even if orders asked twice.
 */
@Injectable()
export class RestockService {
  constructor(private readonly ledger: StockLedger) {}

  async restock(manager: EntityManager, request: RestockRequestedV1): Promise<void> {
    const keyOf = (skuId: string) => `restock:${request.restockId}:${skuId}`;
    const lines = [...request.lines].sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
    const booked: unknown[] = await manager.query('SELECT 1 FROM stock_movement WHERE request_key = ANY($1::text[]) LIMIT 1', [
      lines.map((line) => keyOf(line.skuId)),
    ]);
    if (booked.length > 0) return;
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
        kind: 'RETURN' as const,
        quantity: line.quantity,
        orderId: request.orderId,
        reason: request.reason,
        requestKey: keyOf(line.skuId),
      })),
    );
  }
}
