/* eslint-disable @typescript-eslint/no-explicit-any -- jsonb detail */
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Payment, PaymentLogEntry } from './payment.entities.js';
import { assertTransition, type PaymentState } from './payment-state.js';

/**
 * The only way a payment changes state: checked against the state machine, written together
 * with its payment_log row. A note records an event that leaves the state as it is (a late
 * capture, a provider amount that does not match) — still a row, never a silent change.
 */
@Injectable()
export class PaymentLog {
  async created(manager: EntityManager, payment: Payment, detail: Record<string, any>): Promise<void> {
    await manager.insert(PaymentLogEntry, { paymentId: payment.id, orderId: payment.orderId, fromState: null, toState: payment.state, reason: 'created', detail });
  }

  async transition(
    manager: EntityManager,
    payment: Payment,
    to: PaymentState,
    reason: string,
    detail: Record<string, any> | null = null,
    changes: Partial<Pick<Payment, 'succeededAt' | 'refundedMinor' | 'providerRef'>> = {},
  ): Promise<void> {
    const from = payment.state;
    assertTransition(from, to);
    const updatedAt = new Date();
    await manager.update(Payment, { id: payment.id }, { state: to, updatedAt, ...changes });
    await manager.insert(PaymentLogEntry, { paymentId: payment.id, orderId: payment.orderId, fromState: from, toState: to, reason, detail });
    Object.assign(payment, { state: to, updatedAt, ...changes });
  }

  async note(manager: EntityManager, payment: Payment, reason: string, detail: Record<string, any> | null = null): Promise<void> {
    await manager.insert(PaymentLogEntry, { paymentId: payment.id, orderId: payment.orderId, fromState: payment.state, toState: payment.state, reason, detail });
  }
}
