import { paymentFailed, paymentSucceeded } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updateReturning } from '../common/serial.js';
import { PaymentLog } from '../payment-log/payment-log.service.js';
import { decideProviderOutcome } from '../payment-log/payment-state.js';
import type { ProviderEvent } from '../providers/payment-provider.js';
import { RefundService } from '../refunds/refunds.service.js';
import { Payment } from './payment.entity.js';
import { paymentFacts } from './payment-facts.js';
import { type ProviderMismatch, providerMismatches } from './provider-mismatch.js';
import { Tender } from './tender.entity.js';
import { TenderSettlement } from './tender-settlement.js';

/** A compare-and-set found the payment in another state than it was read in. */
const LOST_RACE = 'LOST_RACE';

/** What a provider event did to its payment, and, when it captured other money than we asked for, what differed. */
export interface ProviderEventResult {
  outcome: string;
  mismatches: ProviderMismatch[];
}

/**
 * How a payment ends: the provider's verdict (from a verified callback) or the order closing
 * while the provider part is still open. Callers hold the payment's row lock.
 */
@Injectable()
export class PaymentOutcomes {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly log: PaymentLog,
    private readonly settlement: TenderSettlement,
    private readonly refunds: RefundService,
  ) {}

  /**
   * Applies one verified provider event to its (locked) payment; returns what it did. Every
   * change is a compare-and-set: should the payment have moved meanwhile anyway, the event is
   * decided again against the state it is in now (a capture that lost to a cancel is refunded).
   */
  async applyProviderEvent(manager: EntityManager, payment: Payment, event: ProviderEvent): Promise<ProviderEventResult> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = await this.applyOnce(manager, payment, event);
      if (typeof outcome !== 'string') return outcome;
      if (outcome !== LOST_RACE) return { outcome, mismatches: [] };
      Object.assign(payment, await manager.findOneOrFail(Payment, { where: { id: payment.id }, lock: { mode: 'pessimistic_write' } }));
    }
    throw new Error(`payment ${payment.id} kept changing while applying ${event.provider} event ${event.eventId}`);
  }

  private async applyOnce(manager: EntityManager, payment: Payment, event: ProviderEvent): Promise<string | ProviderEventResult> {
    const tender = await manager.findOneByOrFail(Tender, { paymentId: payment.id, type: 'PROVIDER' });
    if (event.providerRef && !payment.providerRef) {
      await manager.update(Payment, { id: payment.id }, { providerRef: event.providerRef });
      payment.providerRef = event.providerRef;
    }
    const mismatches =
      event.outcome === 'SUCCEEDED' ? providerMismatches({ amountMinor: tender.amountMinor, currency: payment.currency }, event) : [];
    if (mismatches.length > 0) {
      // Money moved, but not the amount we asked for: nothing is assumed, reconciliation and staff decide.
      await this.log.note(manager, payment, 'provider amount mismatch', {
        eventId: event.eventId,
        expected: { amountMinor: tender.amountMinor, currency: payment.currency },
        reported: { amountMinor: event.amountMinor, currency: event.currency },
      });
      return { outcome: 'AMOUNT_MISMATCH', mismatches };
    }
    const decision = decideProviderOutcome(payment.state, tender.state === 'CAPTURED', event.outcome);
    const detail = { provider: event.provider, eventId: event.eventId, providerType: event.providerType, providerRef: event.providerRef };
    const now = new Date();
    switch (decision.kind) {
      case 'SUCCEED':
        if (!(await this.log.tryTransition(manager, payment, 'SUCCEEDED', `${event.provider} captured`, detail, { succeededAt: now })))
          return LOST_RACE;
        await this.settlement.capture(manager, payment, now);
        await this.publisher.publish(manager, paymentSucceeded, {
          subject: payment.orderId,
          data: { ...paymentFacts(payment), succeededAt: now.toISOString() },
        });
        return 'SUCCEEDED';
      case 'FAIL':
        if (!(await this.log.tryTransition(manager, payment, 'FAILED', `${event.provider} declined`, detail))) return LOST_RACE;
        await this.settlement.release(manager, payment, `payment ${payment.serial} failed`);
        await this.publishFailed(manager, payment, 'PROVIDER_DECLINED', now);
        return 'FAILED';
      case 'REFUND_LATE_CAPTURE': {
        const captured = await updateReturning<{ id: string }>(
          manager,
          `UPDATE tender SET state = 'CAPTURED', captured_at = $2 WHERE id = $1 AND state = 'RELEASED' RETURNING id`,
          [tender.id, now],
        );
        if (captured.length === 0) return 'IGNORED: late capture already recorded';
        await this.log.note(
          manager,
          payment,
          `${event.provider} captured after the payment was ${payment.state.toLowerCase()}; refunding`,
          detail,
        );
        await this.refunds.refundLateCapture(manager, payment, { ...tender, state: 'CAPTURED', capturedAt: now });
        return 'LATE_CAPTURE_REFUNDED';
      }
      case 'IGNORE':
        return `IGNORED: ${decision.why}`;
    }
  }

  /**
   * The order closed (payment window, shopper, stock): every payment still waiting for its
   * provider is cancelled and its gift cards and points credited back. A provider success that
   * comes later is refunded (applyProviderEvent). The caller holds the order's row (lock order).
   */
  async cancelOpenPayments(manager: EntityManager, orderId: string, reason: string): Promise<void> {
    const open = await manager.find(Payment, {
      where: { orderId, state: 'PENDING' },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const payment of open) {
      // Captured meanwhile: it stands, and orders answers its payment.succeeded with a refund.
      if (!(await this.log.tryTransition(manager, payment, 'CANCELLED', 'order closed', { orderCloseReason: reason }))) continue;
      await this.settlement.release(manager, payment, `payment ${payment.serial} cancelled: order closed`);
      await this.publishFailed(manager, payment, 'ORDER_CLOSED', new Date());
    }
  }

  /**
   * A payment still waiting for its provider gives way to a new attempt of the shopper's: an
   * abandoned payment page must not keep the order unpayable. Its gift cards and points come
   * back now; a capture the provider reports later is refunded like any late capture. False
   * when the payment is no longer PENDING (the provider's capture got there first): then it
   * stands, and the new attempt must be refused. The new attempt's gift cards are locked with
   * the ones credited back, in one code order (lock-order.ts).
   */
  async supersede(manager: EntityManager, payment: Payment, newAttemptGiftCards: readonly string[] = []): Promise<boolean> {
    if (!(await this.log.tryTransition(manager, payment, 'CANCELLED', 'superseded by a new attempt', {}))) return false;
    await this.settlement.release(manager, payment, `payment ${payment.serial} superseded by a new attempt`, newAttemptGiftCards);
    await this.publishFailed(manager, payment, 'SUPERSEDED', new Date());
    return true;
  }

  private async publishFailed(
    manager: EntityManager,
    payment: Payment,
    reason: 'PROVIDER_DECLINED' | 'ORDER_CLOSED' | 'SUPERSEDED',
    at: Date,
  ): Promise<void> {
    await this.publisher.publish(manager, paymentFailed, {
      subject: payment.orderId,
      data: { ...paymentFacts(payment), reason, failedAt: at.toISOString() },
    });
  }
}
