// biome-ignore-all lint/suspicious/noExplicitAny: jsonb detail, typed as TypeORM's update types accept
import { type AlsoWrite, StateTable, TransitionRefusedError } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Payment } from '../payment/payment.entity.js';
import { PaymentLogEntry } from './payment-log-entry.entity.js';
import { PAYMENT, type PaymentState } from './payment-state.js';

/**
 * Another transaction moved the payment first: the state this one read is gone. Thrown by
 * `transition` (the whole transaction rolls back); callers for whom a lost race is an expected
 * outcome use `tryTransition` and decide what it means.
 */
export class PaymentStateRaceError extends Error {
  override readonly name = 'PaymentStateRaceError';
  constructor(
    readonly paymentId: string,
    readonly expected: PaymentState,
    readonly to: PaymentState,
  ) {
    super(`payment ${paymentId} was no longer ${expected} when moving it to ${to}`);
  }
}

/** Where payments and their log live: each move writes both, in the caller's transaction. */
const PAYMENT_TABLE = new StateTable<PaymentState>(PAYMENT, { table: 'payment', historyTable: 'payment_log' });

/** The columns a move may set along with the state; a named one is written even when null. */
export type PaymentChanges = Partial<Pick<Payment, 'succeededAt' | 'refundedMinor' | 'providerRef'>>;

/**
 * The only way a payment changes state: checked against the state machine, written as a
 * compare-and-set (StateTable: `UPDATE … WHERE id = $1 AND state = $from`) together with its
 * payment_log row. A note records an event that leaves the state as it is (a late capture, a
 * provider amount that does not match) — still a row, never a silent change.
 */
@Injectable()
export class PaymentLog {
  /** tryTransition for a caller that cannot lose the race: losing it throws, and the transaction rolls back. */
  async transition(...move: Parameters<PaymentLog['tryTransition']>): Promise<void> {
    const [, payment, to] = move;
    const from = payment.state;
    if (!(await this.tryTransition(...move))) throw new PaymentStateRaceError(payment.id, from, to);
  }

  /**
   * Moves the payment from the state it was read in, if it is still in it: true when this
   * transaction made the change (and wrote its log row), false when another one got there first
   * (nothing written, `payment` left as read). A move the machine does not allow throws
   * TransitionRefusedError, and so does one to the state the payment is already in: every write
   * of a payment is a change with its log row, never a silent no-op. `alsoWrite`: a write of
   * another table that belongs to the move (its tenders captured), made in the move's statement
   * and only when it wins (StateTable).
   */
  async tryTransition(
    manager: EntityManager,
    payment: Payment,
    to: PaymentState,
    reason: string,
    detail: Record<string, any> | null = null,
    changes: PaymentChanges = {},
    alsoWrite?: AlsoWrite,
  ): Promise<boolean> {
    const from = payment.state;
    if (PAYMENT.decideOrThrow(from, to).kind === 'already-there') throw new TransitionRefusedError(PAYMENT.name, from, to);
    const updatedAt = new Date();
    const set: Record<string, unknown> = { updated_at: updatedAt };
    // Written when named, even as null: a change may clear a column.
    if ('succeededAt' in changes) set.succeeded_at = changes.succeededAt ?? null;
    if ('refundedMinor' in changes) set.refunded_minor = changes.refundedMinor ?? null;
    if ('providerRef' in changes) set.provider_ref = changes.providerRef ?? null;
    const written = await PAYMENT_TABLE.transition(manager, {
      id: payment.id,
      from,
      to,
      set,
      history: {
        payment_id: payment.id,
        order_id: payment.orderId,
        from_state: from,
        to_state: to,
        reason,
        detail: detail === null ? null : JSON.stringify(detail),
      },
      alsoWrite,
    });
    if (written.outcome !== 'moved') return false;
    Object.assign(payment, { state: to, updatedAt, ...changes });
    return true;
  }

  async note(manager: EntityManager, payment: Payment, reason: string, detail: Record<string, any> | null = null): Promise<void> {
    await manager.insert(PaymentLogEntry, {
      paymentId: payment.id,
      orderId: payment.orderId,
      fromState: payment.state,
      toState: payment.state,
      reason,
      detail,
    });
  }
}
