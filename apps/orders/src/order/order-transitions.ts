import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ParentOrder } from './order.entity.js';
import { OrderLine } from './order-line.entity.js';
import { nextState, type OrderState, type OrderTrigger } from './order-state.js';

export interface AppliedTransition {
  order: ParentOrder;
  from: OrderState;
}

/**
 * Moves one order through the state machine inside the caller's transaction: the row is
 * locked, so concurrent triggers (a payment racing a cancel) apply one after the other and the
 * second sees the first's outcome.
 */
@Injectable()
export class OrderTransitions {
  async lock(manager: EntityManager, orderId: string): Promise<ParentOrder | null> {
    return manager.findOne(ParentOrder, { where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Applies the trigger if the order's state allows it; undefined when it does not. */
  async apply(
    manager: EntityManager,
    order: ParentOrder,
    trigger: OrderTrigger,
    reason: string | null,
    changes: Partial<Pick<ParentOrder, 'paidAt' | 'paymentId'>> = {},
  ): Promise<AppliedTransition | undefined> {
    const from = order.state;
    const to = nextState(from, trigger);
    if (!to) return undefined;
    const now = new Date();
    Object.assign(order, changes, { state: to, stateReason: reason, updatedAt: now });
    // The new state and its history row in one statement: every saga step runs this.
    await manager.query(
      `WITH changed AS (
         UPDATE parent_order SET state = $2, state_reason = $3, updated_at = $4,
           paid_at = coalesce($5, paid_at), payment_id = coalesce($6, payment_id)
         WHERE id = $1 RETURNING id)
       INSERT INTO order_state_change (order_id, from_state, to_state, reason, at)
       SELECT id, $7, $2, $3, $4 FROM changed`,
      [order.id, to, reason, now, changes.paidAt ?? null, changes.paymentId ?? null, from],
    );
    return { order, from };
  }

  /** Gives back the units a closed, unpaid order counted against the buyer's purchase limits. */
  async releasePurchaseLimits(manager: EntityManager, order: ParentOrder): Promise<void> {
    // Exactly what placement counted: a limit set or changed since must not shift the tally.
    const lines = (await manager.find(OrderLine, { where: { orderId: order.id } })).filter((line) => line.limitCounted > 0);
    if (lines.length === 0) return;
    await manager.query(
      `UPDATE purchase_tally t SET quantity = greatest(t.quantity - l.quantity, 0)
       FROM unnest($2::text[], $3::int[]) AS l(sku_id, quantity)
       WHERE t.buyer_id = $1 AND t.sku_id = l.sku_id`,
      [order.buyerId, lines.map((line) => line.skuId), lines.map((line) => line.limitCounted)],
    );
  }
}
