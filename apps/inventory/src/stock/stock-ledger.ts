import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deltaOf, type MovementKind } from './movement-rules.js';

export interface LevelRow {
  skuId: string;
  warehouseId: string;
  onHand: number;
  held: number;
}

export interface MovementInput {
  skuId: string;
  warehouseId: string;
  kind: MovementKind;
  /** Positive; signed only for ADJUSTMENT. */
  quantity: number;
  /** DEDUCTION of units that were held for the order (held goes down with on hand). */
  consumesHold?: boolean;
  orderId?: string | null;
  reason?: string | null;
  requestKey?: string | null;
}

export interface StockTotals {
  onHand: number;
  held: number;
  available: number;
}

interface RawLevel {
  sku_id: string;
  warehouse_id: string;
  on_hand: number;
  held: number;
}

const toLevel = (row: RawLevel): LevelRow => ({ skuId: row.sku_id, warehouseId: row.warehouse_id, onHand: row.on_hand, held: row.held });

/**
 * The one write path of stock: every change is a ledger row and the same change to the level,
 * in the caller's transaction. Callers lock the levels they plan with (lockLevels) first.
 */
@Injectable()
export class StockLedger {
  /**
   * Locks every level of these SKUs, always in (sku_id, warehouse_id) order, so that concurrent
   * orders touching overlapping SKUs queue instead of deadlocking. PostgreSQL locks the rows as
   * the sorted scan returns them.
   */
  async lockLevels(manager: EntityManager, skuIds: readonly string[]): Promise<LevelRow[]> {
    if (skuIds.length === 0) return [];
    const rows: RawLevel[] = await manager.query(
      `SELECT sku_id, warehouse_id, on_hand, held FROM stock_level
        WHERE sku_id = ANY($1::text[])
        ORDER BY sku_id COLLATE "C", warehouse_id COLLATE "C"
        FOR UPDATE`,
      [[...new Set(skuIds)]],
    );
    return rows.map(toLevel);
  }

  /** Creates the level of a SKU in a warehouse (at zero) if it does not exist, and locks it. */
  async lockLevel(manager: EntityManager, skuId: string, warehouseId: string): Promise<LevelRow> {
    await manager.query('INSERT INTO stock_level (sku_id, warehouse_id, on_hand, held) VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING', [
      skuId,
      warehouseId,
    ]);
    const [row]: RawLevel[] = await manager.query(
      'SELECT sku_id, warehouse_id, on_hand, held FROM stock_level WHERE sku_id = $1 AND warehouse_id = $2 FOR UPDATE',
      [skuId, warehouseId],
    );
    return toLevel(row);
  }

  /** Appends the movements to the ledger and applies them to the levels; returns the ledger ids. */
  async record(manager: EntityManager, movements: readonly MovementInput[]): Promise<string[]> {
    if (movements.length === 0) return [];
    const rows = movements.map((movement) => ({
      ...movement,
      ...deltaOf(movement.kind, movement.quantity, { consumesHold: movement.consumesHold }),
    }));
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO stock_movement (sku_id, warehouse_id, kind, on_hand_delta, held_delta, damaged_delta, order_id, reason, request_key)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::uuid[], $8::text[], $9::text[])
       RETURNING id`,
      [
        rows.map((r) => r.skuId),
        rows.map((r) => r.warehouseId),
        rows.map((r) => r.kind),
        rows.map((r) => r.onHandDelta),
        rows.map((r) => r.heldDelta),
        rows.map((r) => r.damagedDelta),
        rows.map((r) => r.orderId ?? null),
        rows.map((r) => r.reason ?? null),
        rows.map((r) => r.requestKey ?? null),
      ],
    );
    const byLevel = new Map<string, { skuId: string; warehouseId: string; onHand: number; held: number }>();
    for (const row of rows) {
      const key = JSON.stringify([row.skuId, row.warehouseId]);
      const sum = byLevel.get(key) ?? { skuId: row.skuId, warehouseId: row.warehouseId, onHand: 0, held: 0 };
      sum.onHand += row.onHandDelta;
      sum.held += row.heldDelta;
      byLevel.set(key, sum);
    }
    const sums = [...byLevel.values()];
    const updated: { sku_id: string }[] = await manager.query(
      `WITH delta AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS d(sku_id, warehouse_id, on_hand, held)
       ), changed AS (
         UPDATE stock_level AS level
            SET on_hand = level.on_hand + delta.on_hand, held = level.held + delta.held
           FROM delta
          WHERE level.sku_id = delta.sku_id AND level.warehouse_id = delta.warehouse_id
         RETURNING level.sku_id
       )
       SELECT sku_id FROM changed`,
      [sums.map((s) => s.skuId), sums.map((s) => s.warehouseId), sums.map((s) => s.onHand), sums.map((s) => s.held)],
    );
    if (updated.length !== sums.length) throw new Error('a stock movement names a level that does not exist');
    return inserted.map((row) => String(row.id));
  }

  /** Levels without locking, for reading. */
  async levelsOf(manager: EntityManager, skuIds: readonly string[]): Promise<LevelRow[]> {
    if (skuIds.length === 0) return [];
    const rows: RawLevel[] = await manager.query(
      `SELECT sku_id, warehouse_id, on_hand, held FROM stock_level WHERE sku_id = ANY($1::text[])
        ORDER BY sku_id COLLATE "C", warehouse_id COLLATE "C"`,
      [[...new Set(skuIds)]],
    );
    return rows.map(toLevel);
  }

  async totalsOf(manager: EntityManager, skuIds: readonly string[]): Promise<Map<string, StockTotals>> {
    const totals = new Map<string, StockTotals>();
    for (const level of await this.levelsOf(manager, skuIds)) {
      const sum = totals.get(level.skuId) ?? { onHand: 0, held: 0, available: 0 };
      sum.onHand += level.onHand;
      sum.held += level.held;
      sum.available += level.onHand - level.held;
      totals.set(level.skuId, sum);
    }
    return totals;
  }
}
