import { type AlsoWrite, StateTable } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { ORDER, type OrderState, type OrderTrigger } from './order-state.js';
import { ParentOrder } from './parent-order.entity.js';

export type TransitionOutcome =
  | { applied: true; order: ParentOrder; from: OrderState }
  /** The trigger does not move the order from its state (refused there, or already where it leads): it means nothing now. */
  | { applied: false; reason: 'NOT_ALLOWED'; state: OrderState }
  /**
   * The order was no longer in the state the caller read: someone else moved it first. Nothing
   * was written; the caller decides (a saga step fails so its event is retried on fresh state).
   */
  | { applied: false; reason: 'LOST_RACE'; state: OrderState };

/** A saga step whose compare-and-set lost: thrown so the event is handled again from the state that won. */
export class OrderTransitionLostRace extends Error {
  /** A serialization failure in all but name: the consumer retries it as one, never dead-letters it. */
  readonly code = '40001';

  constructor(
    readonly orderId: string,
    readonly trigger: OrderTrigger,
    readonly current: OrderState,
  ) {
    super(`order ${orderId} was moved to ${current} by another writer before ${trigger} applied; handling it again on that state`);
    this.name = 'OrderTransitionLostRace';
  }
}

/** What a move writes besides the state: a payment's columns, a nearer payment deadline. */
export type OrderChanges = Partial<Pick<ParentOrder, 'paidAt' | 'paymentId' | 'paymentDueAt'>>;

/** Where orders and their trail live: each move writes both, in the caller's transaction. */
const ORDER_TABLE = new StateTable<OrderState, { id: string }>(ORDER, { table: 'parent_order', historyTable: 'order_state_change' });

/**
 * Moves one order through the state machine inside the caller's transaction. Every move is a
 * compare-and-set on the state the caller read (StateTable: `WHERE id = $1 AND state = $from`,
 * and the order_state_change row only when that wins): callers lock
 * the row first, so concurrent triggers (a payment racing a cancel) normally apply one after the
 * other and the second sees the first's outcome; should a caller hold a stale copy, the move is
 * refused as LOST_RACE instead of overwriting what the winner wrote.
 */
@Injectable()
export class OrderTransitions {
  /** Locks the order's row (the first lock of every change of an order) and reads it as TypeORM would, with one plain statement. */
  async lock(manager: EntityManager, orderId: string): Promise<ParentOrder | null> {
    // Outside a transaction the lock would be gone before the caller acts on what it read.
    if (!manager.queryRunner?.isTransactionActive) throw new Error('OrderTransitions.lock needs a transaction');
    const reader = orderReader(manager.connection);
    const [row]: Record<string, unknown>[] = await manager.query(reader.lock, [orderId]);
    return row ? reader.read(row) : null;
  }

  /** Applies the trigger if the order's state allows it and nobody moved the order meanwhile. */
  async apply(
    manager: EntityManager,
    order: ParentOrder,
    trigger: OrderTrigger,
    reason: string | null,
    changes: OrderChanges = {},
    alsoWrite?: AlsoWrite,
  ): Promise<TransitionOutcome> {
    const from = order.state;
    const decision = ORDER.fire(from, trigger);
    // Already in the trigger's target (a second cancel of a cancelled order) writes nothing
    // either: to the saga, as for any trigger that does not apply, there is nothing to do.
    if (decision.kind !== 'move') return { applied: false, reason: 'NOT_ALLOWED', state: from };
    const now = new Date();
    const set: Record<string, unknown> = { state_reason: reason, updated_at: now };
    // A payment's columns are written when given, and never cleared by a later move.
    if (changes.paidAt !== undefined && changes.paidAt !== null) set.paid_at = changes.paidAt;
    if (changes.paymentId !== undefined && changes.paymentId !== null) set.payment_id = changes.paymentId;
    if (changes.paymentDueAt !== undefined && changes.paymentDueAt !== null) set.payment_due_at = changes.paymentDueAt;
    const written = await ORDER_TABLE.transition(manager, {
      id: order.id,
      from,
      to: decision.to,
      set,
      history: { order_id: order.id, from_state: from, to_state: decision.to, reason, at: now },
      alsoWrite,
    });
    switch (written.outcome) {
      case 'moved':
        Object.assign(order, changes, { state: decision.to, stateReason: reason, updatedAt: now });
        return { applied: true, order, from };
      case 'lost-race':
        return { applied: false, reason: 'LOST_RACE', state: written.current ?? from };
      default:
        // Not reached: the table asks the same machine that just allowed the move.
        return { applied: false, reason: 'NOT_ALLOWED', state: from };
    }
  }

  /**
   * For saga steps: true when applied, false when the trigger does not apply in the order's
   * state; a lost race throws, so the event is retried and meets the state that won.
   */
  async applyOrRetry(
    manager: EntityManager,
    order: ParentOrder,
    trigger: OrderTrigger,
    reason: string | null,
    changes: OrderChanges = {},
    alsoWrite?: AlsoWrite,
  ): Promise<boolean> {
    const outcome = await this.apply(manager, order, trigger, reason, changes, alsoWrite);
    if (!outcome.applied && outcome.reason === 'LOST_RACE') throw new OrderTransitionLostRace(order.id, trigger, outcome.state);
    return outcome.applied;
  }

  /** Gives back the units a closed, unpaid order counted against the buyer's purchase limits. */
  async releasePurchaseLimits(manager: EntityManager, order: ParentOrder): Promise<void> {
    // Exactly what placement counted (limit_counted): a limit set or changed since must not shift the tally.
    await manager.query(
      `UPDATE purchase_tally t SET quantity = greatest(t.quantity - l.limit_counted, 0)
       FROM order_line l
       WHERE l.order_id = $2 AND l.limit_counted > 0 AND t.buyer_id = $1 AND t.sku_id = l.sku_id`,
      [order.buyerId, order.id],
    );
  }
}

interface OrderReader {
  lock: string;
  read(row: Record<string, unknown>): ParentOrder;
}

const readers = new WeakMap<DataSource, OrderReader>();

/**
 * The order's selected columns from TypeORM's own mapping, hydrated by its driver: the same
 * object findOne answers, without building a query per call (the saga locks an order per event).
 */
function orderReader(dataSource: DataSource): OrderReader {
  let reader = readers.get(dataSource);
  if (!reader) {
    const metadata = dataSource.getMetadata(ParentOrder);
    const columns = metadata.columns.filter((column) => column.isSelect);
    const driver = dataSource.driver;
    reader = {
      lock: `SELECT ${columns.map((column) => `"${column.databaseName}"`).join(', ')} FROM parent_order WHERE id = $1 FOR UPDATE`,
      read: (row) => {
        const order = metadata.create() as ParentOrder;
        for (const column of columns) column.setEntityValue(order, driver.prepareHydratedValue(row[column.databaseName], column));
        return order;
      },
    };
    readers.set(dataSource, reader);
  }
  return reader;
}
