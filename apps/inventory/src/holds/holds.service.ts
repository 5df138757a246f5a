import {
  type OrderCancelledV1,
  type OrderPaidV1,
  type OrderPlacedV1,
  type StockReleaseReason,
  stockDeducted,
  stockDeductionFailed,
  stockReleased,
  stockReservationFailed,
  stockReserved,
} from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { TransitionRefusedError } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Allocation, compareIds } from '../allocation/allocate.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { InventoryConfig } from '../config/inventory-config.js';
import { ORDER_PAID_REASON } from '../stock/movement-rules.js';
import { type MovementInput, StockLedger } from '../stock/stock-ledger.js';
import {
  type HeldUnits,
  holdTtlSeconds,
  type OrderStockState,
  onCancelled,
  onPaid,
  onPlaced,
  planPayment,
  planReservation,
  type StockShortage,
} from './order-stock.js';
import { ORDER_STOCK } from './order-stock-machine.js';

interface OrderRow {
  state: OrderStockState;
}

interface StateFields {
  allocations?: Allocation[] | null;
  shortages?: StockShortage[] | null;
}

/** A hold's lapse, `seconds` from the transaction's now(); `kept` writes it as the order's expires_at. */
interface Expiry {
  seconds: number;
  kept: boolean;
}

interface HoldRow {
  order_id: string;
  line_id: string;
  sku_id: string;
  warehouse_id: string;
  quantity: number;
}

/**
 * A state change of an order's stock found the order no longer in the state its caller read.
 * Handlers lock the order first, so this means a writer skipped the lock; the event is retried
 * (as a serialization failure) and meets the state that won, never overwriting it.
 */
export class HoldTransitionLostRace extends Error {
  readonly code = '40001';

  constructor(
    readonly orderId: string,
    readonly from: OrderStockState,
    readonly to: OrderStockState,
  ) {
    super(`order ${orderId}: stock state left ${from} before it could move to ${to}`);
    this.name = 'HoldTransitionLostRace';
  }
}

const allocationsOf = (holds: readonly HeldUnits[]): Allocation[] =>
  holds.map(({ lineId, skuId, warehouseId, quantity }) => ({ lineId, skuId, warehouseId, quantity }));

/**
 * Holds, releases and deductions. Every entry point runs in the caller's transaction (the event's,
 * with its inbox row) and starts by locking the order's record, so two events of one order never
 * interleave; then it locks the stock levels it plans with in (sku, warehouse) order, plans with
 * the pure allocator and writes ledger rows, levels, holds, the order's state and the event.
 */
@Injectable()
export class HoldsService {
  private readonly logger = new Logger('Holds');

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: StockLedger,
    private readonly catalog: CatalogService,
    private readonly events: EventPublisher,
    private readonly config: InventoryConfig,
  ) {}

  async orderPlaced(manager: EntityManager, order: OrderPlacedV1): Promise<void> {
    const { state } = await this.lockOrder(manager, order.orderId);
    if (onPlaced(state) === 'ignore') {
      this.logger.log(`order ${order.orderId} placed while ${state}: nothing to hold`);
      return;
    }
    // Every line must be servable now (docs/domain.md §1: stock is sufficient before an order is
    // accepted); only the reserve-on-order ones are held. Planning them together also lets the
    // held lines go where the whole order can ship from.
    const lines = order.lines.map(({ lineId, skuId, quantity }) => ({ lineId, skuId, quantity }));
    const reserved = new Set(order.lines.filter((line) => line.stockPolicy === 'RESERVE_ON_ORDER').map((line) => line.lineId));
    const skuIds = lines.map((line) => line.skuId);
    const skus = await this.catalog.stockFactsById(manager, skuIds);
    const levels = await this.ledger.lockLevels(manager, skuIds);
    const planned = planReservation(lines, skus, levels);
    if (!planned.ok) {
      await this.setState(manager, order.orderId, state, 'RESERVATION_FAILED', { shortages: planned.shortages });
      await this.events.publish(manager, stockReservationFailed, {
        subject: order.orderId,
        data: { orderId: order.orderId, shortages: planned.shortages },
      });
      return;
    }
    const plan = { allocations: planned.allocations.filter((allocation) => reserved.has(allocation.lineId)) };
    const ttlSeconds = holdTtlSeconds(
      plan.allocations.map((allocation) => skus.get(allocation.skuId)!),
      { standardSeconds: this.config.STOCK_HOLD_TTL_SECONDS, scarceSeconds: this.config.SCARCE_HOLD_TTL_SECONDS },
    );
    if (plan.allocations.length === 0) {
      // Nothing lapses, so the expiry the event answers with is not kept on the order.
      const expiresAt = await this.setState(manager, order.orderId, state, 'NOTHING_HELD', {
        allocations: [],
        expiry: { seconds: ttlSeconds, kept: false },
      });
      await this.events.publish(manager, stockReserved, {
        subject: order.orderId,
        data: { orderId: order.orderId, allocations: [], expiresAt: expiresAt.toISOString() },
      });
      return;
    }
    await this.ledger.record(
      manager,
      plan.allocations.map((a) => ({ ...a, kind: 'HOLD' as const, orderId: order.orderId, reason: 'ORDER_PLACED' })),
    );
    await this.insertHolds(manager, order.orderId, plan.allocations);
    const expiresAt = await this.setState(manager, order.orderId, state, 'HELD', {
      allocations: plan.allocations,
      expiry: { seconds: ttlSeconds, kept: true },
    });
    await this.events.publish(manager, stockReserved, {
      subject: order.orderId,
      data: { orderId: order.orderId, allocations: plan.allocations, expiresAt: expiresAt.toISOString() },
    });
  }

  async orderCancelled(manager: EntityManager, event: OrderCancelledV1): Promise<void> {
    const { state } = await this.lockOrder(manager, event.orderId);
    const decision = onCancelled(state);
    if (decision === 'ignore') {
      if (state !== 'CANCELLED') this.logger.warn(`order ${event.orderId} cancelled while ${state}: stock is not released here`);
      return;
    }
    if (decision === 'close') {
      await this.setState(manager, event.orderId, state, 'CANCELLED', {});
      return;
    }
    const [released] = await this.release(manager, [event.orderId], 'ORDER_CANCELLED', 'CANCELLED');
    if (released !== event.orderId) throw new HoldTransitionLostRace(event.orderId, 'HELD', 'CANCELLED');
  }

  async orderPaid(manager: EntityManager, event: OrderPaidV1): Promise<void> {
    const { state } = await this.lockOrder(manager, event.orderId);
    if (onPaid(state) === 'ignore') {
      this.logger.log(`order ${event.orderId} paid again while ${state}: nothing to do`);
      return;
    }
    const holds = await this.holdsOf(manager, [event.orderId]);
    const lines = event.lines.map(({ lineId, skuId, quantity }) => ({ lineId, skuId, quantity }));
    const skuIds = [...lines.map((line) => line.skuId), ...holds.map((hold) => hold.skuId)];
    const skus = await this.catalog.stockFactsById(manager, skuIds);
    const levels = await this.ledger.lockLevels(manager, skuIds);
    const plan = planPayment(lines, holds, skus, levels);
    const orderId = event.orderId;
    const releases = (list: HeldUnits[], reason: string): MovementInput[] =>
      list.map((hold) => ({ ...hold, kind: 'RELEASE' as const, orderId, reason }));

    if (!plan.ok) {
      await this.ledger.record(manager, releases(plan.release, 'DEDUCTION_FAILED'));
      await this.deleteHolds(manager, [orderId]);
      await this.setState(manager, orderId, state, 'DEDUCTION_FAILED', { shortages: plan.shortages, allocations: null });
      await this.events.publish(manager, stockDeductionFailed, { subject: orderId, data: { orderId, shortages: plan.shortages } });
      return;
    }
    await this.ledger.record(manager, [
      ...releases(plan.release, 'NOT_PAID_AS_HELD'),
      ...plan.consume.map((hold) => ({ ...hold, kind: 'DEDUCTION' as const, consumesHold: true, orderId, reason: ORDER_PAID_REASON })),
      ...plan.take.map((a) => ({ ...a, kind: 'DEDUCTION' as const, orderId, reason: ORDER_PAID_REASON })),
    ]);
    await this.deleteHolds(manager, [orderId]);
    await this.setState(manager, orderId, state, 'DEDUCTED', { allocations: plan.allocations, shortages: null });
    await this.events.publish(manager, stockDeducted, { subject: orderId, data: { orderId, allocations: plan.allocations } });
  }

  /**
   * The warehouses these lines of a paid order were deducted from, by id; none when the order was
   * not deducted here. Read without the order's lock: DEDUCTED is final.
   */
  async deductedFrom(manager: EntityManager, orderId: string, lineIds: readonly string[]): Promise<string[]> {
    const rows: { warehouse_id: string }[] = await manager.query(
      `SELECT DISTINCT allocation->>'warehouseId' AS warehouse_id
         FROM order_stock, jsonb_array_elements(allocations) AS allocation
        WHERE order_id = $1 AND state = 'DEDUCTED' AND allocation->>'lineId' = ANY($2::text[])`,
      [orderId, [...lineIds]],
    );
    return rows.map((row) => row.warehouse_id).sort(compareIds);
  }

  /**
   * Releases the holds of orders whose hold lapsed, up to `limit` orders in one transaction;
   * orders another instance or an event handler is working on are skipped, not waited for.
   */
  releaseExpired(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due: { order_id: string }[] = await manager.query(
        `SELECT order_id FROM order_stock
          WHERE state = 'HELD' AND expires_at <= now()
          ORDER BY expires_at, order_id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (due.length === 0) return 0;
      const released = await this.release(
        manager,
        due.map((row) => row.order_id),
        'HOLD_EXPIRED',
        'EXPIRED',
      );
      return released.length;
    });
  }

  /**
   * Gives back the holds of locked orders and publishes stock.released for each that had some.
   * The move HELD → `next` is a compare-and-set, and only the holds of the orders this call
   * moved (and the hold rows this call deleted) are released: a second release of the same
   * order, by another instance's hold-expiry worker or a cancel, finds nothing to give back.
   * Returns the orders moved.
   */
  private async release(manager: EntityManager, orderIds: string[], reason: StockReleaseReason, next: OrderStockState): Promise<string[]> {
    // One set-based compare-and-set for the whole batch instead of StateTable's statement per
    // order: every row it changes goes HELD → next, so checking that one move against the
    // machine checks them all.
    if (ORDER_STOCK.decide('HELD', next).kind !== 'move') throw new TransitionRefusedError(ORDER_STOCK.name, 'HELD', next);
    // TypeORM answers an UPDATE or DELETE with [rows, affected].
    const [moved]: [{ order_id: string }[], number] = await manager.query(
      `UPDATE order_stock SET state = $2, updated_at = now() WHERE order_id = ANY($1::uuid[]) AND state = 'HELD' RETURNING order_id`,
      [orderIds, next],
    );
    const won = moved.map((row) => row.order_id).sort();
    if (won.length === 0) return [];
    const holds = await this.holdsOf(manager, won);
    await this.ledger.lockLevels(
      manager,
      holds.map((hold) => hold.skuId),
    );
    const deleted = await this.deleteHolds(manager, won);
    if (deleted !== holds.length)
      throw new Error(`holds of ${won.join(', ')} changed while being released (${holds.length} read, ${deleted} deleted)`);
    await this.ledger.record(
      manager,
      holds.map((hold) => ({ ...hold, kind: 'RELEASE' as const, orderId: hold.orderId, reason })),
    );
    const events = won
      .map((orderId) => ({ orderId, released: holds.filter((hold) => hold.orderId === orderId) }))
      .filter(({ released }) => released.length > 0)
      .map(({ orderId, released }) => ({ subject: orderId, data: { orderId, reason, allocations: allocationsOf(released) } }));
    if (events.length > 0) await this.events.publish(manager, stockReleased, ...events);
    return won;
  }

  /**
   * Locks the order's record, creating it as NEW the first time any of its events arrives. A
   * second transaction for the same order waits here until the first commits.
   *
   * A record this statement created is as good as locked: no one else sees it before we commit,
   * and a concurrent insert of it waits for us. Only when it already exists is it read with
   * FOR UPDATE, in a statement of its own: folded into the INSERT, the SELECT would share its
   * snapshot and miss a record another transaction committed while the INSERT waited for it.
   */
  private async lockOrder(manager: EntityManager, orderId: string): Promise<OrderRow> {
    const created: OrderRow[] = await manager.query(
      `INSERT INTO order_stock (order_id, state) VALUES ($1, 'NEW') ON CONFLICT (order_id) DO NOTHING RETURNING state`,
      [orderId],
    );
    if (created.length > 0) return created[0];
    const [row]: OrderRow[] = await manager.query('SELECT state FROM order_stock WHERE order_id = $1 FOR UPDATE', [orderId]);
    return row;
  }

  /**
   * Moves the order from `from` (the state its caller read under the lock) to `state`, as a
   * compare-and-set checked against ORDER_STOCK; `allocations`/`shortages` are written only when
   * given. With `expiry`, returns now() plus its seconds as the database computes it in the same
   * UPDATE (kept as expires_at when asked), sparing the hold path a statement of its own.
   * A lost race throws: the event is then handled again on the state that won. A move the
   * machine does not list is a bug in the rules and throws too; so does asking for the state
   * the order is in (the rules only ever ask for moves).
   *
   * Its own UPDATE rather than StateTable's for that expression; this table keeps no history.
   */
  private async setState(
    manager: EntityManager,
    orderId: string,
    from: OrderStockState,
    state: OrderStockState,
    fields: StateFields & { expiry: Expiry },
  ): Promise<Date>;
  private async setState(
    manager: EntityManager,
    orderId: string,
    from: OrderStockState,
    state: OrderStockState,
    fields: StateFields,
  ): Promise<undefined>;
  private async setState(
    manager: EntityManager,
    orderId: string,
    from: OrderStockState,
    state: OrderStockState,
    fields: StateFields & { expiry?: Expiry },
  ): Promise<Date | undefined> {
    if (ORDER_STOCK.decide(from, state).kind !== 'move') throw new TransitionRefusedError(ORDER_STOCK.name, from, state);
    const parameters: unknown[] = [orderId, from, state];
    const sets = ['state = $3', 'updated_at = now()'];
    const json = (value: unknown[] | null) => (value === null ? null : JSON.stringify(value));
    if (fields.allocations !== undefined) sets.push(`allocations = $${parameters.push(json(fields.allocations))}`);
    if (fields.shortages !== undefined) sets.push(`shortages = $${parameters.push(json(fields.shortages))}`);
    let returning = 'NULL::timestamptz';
    if (fields.expiry !== undefined) {
      // Milliseconds, as the event carries it: the hold lapses when orders' payment deadline says.
      returning = `date_trunc('milliseconds', now() + make_interval(secs => $${parameters.push(fields.expiry.seconds)}))`;
      if (fields.expiry.kept) sets.push(`expires_at = ${returning}`);
    }
    // TypeORM answers an UPDATE with [rows, affected].
    const [moved]: [{ expires_at: Date | null }[], number] = await manager.query(
      `UPDATE order_stock SET ${sets.join(', ')} WHERE order_id = $1 AND state = $2 RETURNING ${returning} AS expires_at`,
      parameters,
    );
    if (moved.length === 0) throw new HoldTransitionLostRace(orderId, from, state);
    return fields.expiry === undefined ? undefined : new Date(moved[0].expires_at!);
  }

  private async holdsOf(manager: EntityManager, orderIds: string[]): Promise<(HeldUnits & { orderId: string })[]> {
    const rows: HoldRow[] = await manager.query(
      `SELECT order_id, line_id, sku_id, warehouse_id, quantity FROM stock_hold
        WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_id COLLATE "C", warehouse_id COLLATE "C"`,
      [orderIds],
    );
    return rows.map((row) => ({
      orderId: row.order_id,
      lineId: row.line_id,
      skuId: row.sku_id,
      warehouseId: row.warehouse_id,
      quantity: row.quantity,
    }));
  }

  private async insertHolds(manager: EntityManager, orderId: string, allocations: readonly Allocation[]): Promise<void> {
    await manager.query(
      `INSERT INTO stock_hold (order_id, line_id, warehouse_id, sku_id, quantity)
       SELECT $1::uuid, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[])`,
      [
        orderId,
        allocations.map((a) => a.lineId),
        allocations.map((a) => a.warehouseId),
        allocations.map((a) => a.skuId),
        allocations.map((a) => a.quantity),
      ],
    );
  }

  /** Deletes the holds of these orders; returns how many rows this call deleted. */
  private async deleteHolds(manager: EntityManager, orderIds: string[]): Promise<number> {
    const [, deleted]: [unknown[], number] = await manager.query('DELETE FROM stock_hold WHERE order_id = ANY($1::uuid[])', [orderIds]);
    return deleted;
  }
}
