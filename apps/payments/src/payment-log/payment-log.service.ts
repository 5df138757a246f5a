// biome-ignore-all lint/suspicious/noExplicitAny: jsonb detail, typed as TypeORM's update types accept
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updateReturning } from '../common/serial.js';
import type { Payment } from '../payment/payment.entity.js';
import { PaymentLogEntry } from './payment-log-entry.entity.js';
import { assertTransition, type PaymentState } from './payment-state.js';

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

/**
 * The only way a payment changes state: checked against the state machine, written as a
 * compare-and-set (`UPDATE … WHERE id = $1 AND state = $from`) together with its payment_log row.
 * A note records an event that leaves the state as it is (a late capture, a provider amount that
 * does not match) — still a row, never a silent change.
 */
@Injectable()
export class PaymentLog {
  async created(manager: EntityManager, payment: Payment, detail: Record<string, any>): Promise<void> {
    await manager.insert(PaymentLogEntry, {
      paymentId: payment.id,
      orderId: payment.orderId,
      fromState: null,
      toState: payment.state,
      reason: 'created',
      detail,
    });
  }

  /** Moves the payment from the state it was read in; a lost race rolls the transaction back. */
  async transition(
    manager: EntityManager,
    payment: Payment,
    to: PaymentState,
    reason: string,
    detail: Record<string, any> | null = null,
    changes: Partial<Pick<Payment, 'succeededAt' | 'refundedMinor' | 'providerRef'>> = {},
  ): Promise<void> {
    const from = payment.state;
    if (!(await this.tryTransition(manager, payment, to, reason, detail, changes))) throw new PaymentStateRaceError(payment.id, from, to);
  }

  /**
   * Moves the payment from the state it was read in, if it is still in it: true when this
   * transaction made the change (and wrote its log row), false when another one got there first
   * (nothing written, `payment` left as read).
   */
  async tryTransition(
    manager: EntityManager,
    payment: Payment,
    to: PaymentState,
    reason: string,
    detail: Record<string, any> | null = null,
    changes: Partial<Pick<Payment, 'succeededAt' | 'refundedMinor' | 'providerRef'>> = {},
  ): Promise<boolean> {
    const from = payment.state;
    assertTransition(from, to);
    const updatedAt = new Date();
    const moved = await updateReturning<{ id: string }>(
      manager,
      `UPDATE payment SET state = $3, updated_at = $4,
         succeeded_at = CASE WHEN $5::boolean THEN $6::timestamptz ELSE succeeded_at END,
         refunded_minor = CASE WHEN $7::boolean THEN $8::bigint ELSE refunded_minor END,
         provider_ref = CASE WHEN $9::boolean THEN $10::text ELSE provider_ref END
       WHERE id = $1 AND state = $2 RETURNING id`,
      [
        payment.id,
        from,
        to,
        updatedAt,
        'succeededAt' in changes,
        changes.succeededAt ?? null,
        'refundedMinor' in changes,
        changes.refundedMinor ?? null,
        'providerRef' in changes,
        changes.providerRef ?? null,
      ],
    );
    if (moved.length === 0) return false;
    await manager.insert(PaymentLogEntry, {
      paymentId: payment.id,
      orderId: payment.orderId,
      fromState: from,
      toState: to,
      reason,
      detail,
    });
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
