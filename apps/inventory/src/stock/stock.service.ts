import { createHash } from 'node:crypto';
import type { FlashSaleSkusQuery } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { catalogProblems } from '../catalog/catalog.problems.js';
import { stockingRefusal } from '../catalog/catalog.rules.js';
import { Sku } from '../catalog/sku.entity.js';
import { Warehouse } from '../catalog/warehouse.entity.js';
import { applyDelta, deltaOf, type MovementKind, ORDER_PAID_REASON } from './movement-rules.js';
import type { MovementsQuery, PostMovementDto } from './stock.dto.js';
import { stockProblems } from './stock.problems.js';
import { StockLedger, type StockTotals } from './stock-ledger.js';

export interface MovementView {
  id: string;
  skuId: string;
  warehouseId: string;
  kind: MovementKind;
  onHandDelta: number;
  heldDelta: number;
  damagedDelta: number;
  orderId: string | null;
  reason: string | null;
  createdAt: string;
}

export interface LevelView {
  warehouseId: string;
  onHand: number;
  held: number;
  available: number;
}

export interface SkuStockView {
  skuId: string;
  warehouses: (LevelView & { warehouseName: string; fulfilmentType: string })[];
  totals: StockTotals;
}

/** A SKU on flash sale (marked scarce), its stock and what the ledger says went out and came back. */
export interface FlashSaleSkuView extends StockTotals {
  skuId: string;
  name: string;
  merchantId: string;
  priceMinor: number;
  currency: string;
  onShelf: boolean;
  purchaseLimit: number | null;
  sold: number;
  returned: number;
  warehouses: LevelView[];
}

export interface FlashSaleSkuPage {
  items: FlashSaleSkuView[];
  page: number;
  pageSize: number;
  total: number;
}

interface RawMovement {
  id: string;
  sku_id: string;
  warehouse_id: string;
  kind: MovementKind;
  on_hand_delta: number;
  held_delta: number;
  damaged_delta: number;
  order_id: string | null;
  reason: string | null;
  request_key: string | null;
  created_at: Date;
}

const movementView = (row: RawMovement): MovementView => ({
  id: String(row.id),
  skuId: row.sku_id,
  warehouseId: row.warehouse_id,
  kind: row.kind,
  onHandDelta: row.on_hand_delta,
  heldDelta: row.held_delta,
  damagedDelta: row.damaged_delta,
  orderId: row.order_id,
  reason: row.reason,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Receipts and adjustments posted by staff, and stock read per SKU. */
@Injectable()
export class StockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: StockLedger,
  ) {}

  /**
   * Records a receipt or an adjustment. With an idempotency key, a repeated request returns
   * the first one's movement instead of moving stock twice.
   */
  recordMovement(dto: PostMovementDto, idempotencyKey?: string): Promise<{ replayed: boolean; movement: MovementView; level: LevelView }> {
    if (dto.kind === 'RECEIPT' && dto.quantity < 0) {
      throw stockProblems.receiptMustAdd();
    }
    return this.dataSource.transaction(async (manager) => {
      if (idempotencyKey !== undefined) {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [advisoryKey(idempotencyKey)]);
        const [previous]: RawMovement[] = await manager.query('SELECT * FROM stock_movement WHERE request_key = $1', [idempotencyKey]);
        if (previous) {
          const same =
            previous.sku_id === dto.skuId &&
            previous.warehouse_id === dto.warehouseId &&
            previous.kind === dto.kind &&
            previous.on_hand_delta === dto.quantity;
          if (!same) {
            throw stockProblems.idempotencyKeyReused();
          }
          return { replayed: true, movement: movementView(previous), level: await this.level(manager, dto.skuId, dto.warehouseId) };
        }
      }
      const warehouse = await manager
        .getRepository(Warehouse)
        .findOne({ where: { id: dto.warehouseId }, lock: { mode: 'pessimistic_read' } });
      if (!warehouse) throw stockProblems.unknownWarehouse(dto.warehouseId);
      const sku = await manager.getRepository(Sku).findOne({ where: { id: dto.skuId }, lock: { mode: 'pessimistic_read' } });
      if (!sku) throw stockProblems.unknownSku(dto.skuId);
      const refusal = stockingRefusal(sku, warehouse);
      if (refusal) throw stockProblems.warehouseNotAllowed(sku.id, warehouse.id, refusal);

      const level = await this.ledger.lockLevel(manager, dto.skuId, dto.warehouseId);
      const outcome = applyDelta(level, deltaOf(dto.kind, dto.quantity));
      if (!outcome.ok) {
        throw stockProblems.stockBelowHeld(level, dto.quantity, outcome.reason);
      }
      const [id] = await this.ledger.record(manager, [
        {
          skuId: dto.skuId,
          warehouseId: dto.warehouseId,
          kind: dto.kind,
          quantity: dto.quantity,
          reason: dto.reason,
          requestKey: idempotencyKey ?? null,
        },
      ]);
      const [row]: RawMovement[] = await manager.query('SELECT * FROM stock_movement WHERE id = $1', [id]);
      return { replayed: false, movement: movementView(row), level: await this.level(manager, dto.skuId, dto.warehouseId) };
    });
  }

  async skuStock(skuId: string): Promise<SkuStockView> {
    const manager = this.dataSource.manager;
    if (!(await manager.getRepository(Sku).existsBy({ id: skuId }))) throw catalogProblems.skuNotFound(skuId);
    const rows: { warehouse_id: string; name: string; fulfilment_type: string; on_hand: number; held: number }[] = await manager.query(
      `SELECT l.warehouse_id, w.name, w.fulfilment_type, l.on_hand, l.held
         FROM stock_level l JOIN warehouse w ON w.id = l.warehouse_id
        WHERE l.sku_id = $1 ORDER BY l.warehouse_id COLLATE "C"`,
      [skuId],
    );
    const warehouses = rows.map((row) => ({
      warehouseId: row.warehouse_id,
      warehouseName: row.name,
      fulfilmentType: row.fulfilment_type,
      onHand: row.on_hand,
      held: row.held,
      available: row.on_hand - row.held,
    }));
    const totals = warehouses.reduce(
      (sum, w) => ({ onHand: sum.onHand + w.onHand, held: sum.held + w.held, available: sum.available + w.available }),
      { onHand: 0, held: 0, available: 0 },
    );
    return { skuId, warehouses, totals };
  }

  /**
   * The SKUs marked scarce, by id, with their levels and the units deducted for paid orders (not
   * an exchange's replacements) and put back by returns; read in one snapshot, so a sale going on meanwhile shows either before or
   * after each order, never half of one.
   */
  flashSaleSkus(query: FlashSaleSkusQuery): Promise<FlashSaleSkuPage> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [skus, total] = await manager.findAndCount(Sku, {
        where: { scarce: true },
        order: { id: 'ASC' },
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      });
      const ids = skus.map((sku) => sku.id);
      const levels: { sku_id: string; warehouse_id: string; on_hand: number; held: number }[] = await manager.query(
        `SELECT sku_id, warehouse_id, on_hand, held FROM stock_level
          WHERE sku_id = ANY($1::text[]) ORDER BY warehouse_id COLLATE "C"`,
        [ids],
      );
      // Sold: the paid orders' deductions only; an exchange's replacement is deducted too, but sells nothing.
      const flows: { sku_id: string; sold: string; returned: string }[] = await manager.query(
        `SELECT sku_id,
                coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'DEDUCTION' AND reason = $2), 0)::bigint AS sold,
                coalesce(sum(on_hand_delta) FILTER (WHERE kind = 'RETURN'), 0)::bigint AS returned
           FROM stock_movement WHERE sku_id = ANY($1::text[]) AND kind IN ('DEDUCTION', 'RETURN')
          GROUP BY sku_id`,
        [ids, ORDER_PAID_REASON],
      );
      const items = skus.map((sku): FlashSaleSkuView => {
        const warehouses = levels
          .filter((level) => level.sku_id === sku.id)
          .map((level) => ({
            warehouseId: level.warehouse_id,
            onHand: level.on_hand,
            held: level.held,
            available: level.on_hand - level.held,
          }));
        const flow = flows.find((row) => row.sku_id === sku.id);
        const onHand = warehouses.reduce((sum, level) => sum + level.onHand, 0);
        const held = warehouses.reduce((sum, level) => sum + level.held, 0);
        return {
          skuId: sku.id,
          name: sku.name,
          merchantId: sku.merchantId,
          priceMinor: sku.priceMinor,
          currency: sku.currency,
          onShelf: sku.onShelf,
          purchaseLimit: sku.purchaseLimit,
          onHand,
          held,
          available: onHand - held,
          sold: Number(flow?.sold ?? 0),
          returned: Number(flow?.returned ?? 0),
          warehouses,
        };
      });
      return { items, page: query.page, pageSize: query.pageSize, total };
    });
  }

  async movements(query: MovementsQuery): Promise<MovementView[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['sku_id', query.skuId],
      ['warehouse_id', query.warehouseId],
      ['order_id', query.orderId],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      conditions.push(`${column} = $${params.length}`);
    }
    params.push(query.limit);
    const rows: RawMovement[] = await this.dataSource.query(
      `SELECT * FROM stock_movement ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(movementView);
  }

  private async level(manager: EntityManager, skuId: string, warehouseId: string): Promise<LevelView> {
    const [level] = (await this.ledger.levelsOf(manager, [skuId])).filter((l) => l.warehouseId === warehouseId);
    const onHand = level?.onHand ?? 0;
    const held = level?.held ?? 0;
    return { warehouseId, onHand, held, available: onHand - held };
  }
}

/** A 64-bit advisory lock key for an idempotency key. */
function advisoryKey(key: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`stock-movement:${key}`).digest('hex').slice(0, 16)}`)).toString();
}
