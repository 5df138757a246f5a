import { Injectable } from '@nestjs/common';
import { paymentFailed, paymentSucceeded } from '@mallard/contracts';
import { EventPublisher } from '@mallard/messaging';
import { In, type EntityManager } from 'typeorm';
import type { ProviderEvent } from '../providers/payment-provider.js';
import { RefundService } from '../refunds/refund.service.js';
import { PaymentLog } from './payment-log.js';
import { decideProviderOutcome } from './payment-state.js';
import { Payment, Tender } from './payment.entities.js';
import { TenderSettlement } from './tender-settlement.js';

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

  /** Applies one verified provider event to its (locked) payment; returns what it did. */
  async applyProviderEvent(manager: EntityManager, payment: Payment, event: ProviderEvent): Promise<string> {
    const tender = await manager.findOneByOrFail(Tender, { paymentId: payment.id, type: 'PROVIDER' });
    if (event.providerRef && !payment.providerRef) {
      await manager.update(Payment, { id: payment.id }, { providerRef: event.providerRef });
      payment.providerRef = event.providerRef;
    }
    if (
      event.outcome === 'SUCCEEDED' &&
      ((event.amountMinor !== null && event.amountMinor !== tender.amountMinor) || (event.currency !== null && event.currency !== payment.currency))
    ) {
      // Money moved, but not the amount we asked for: nothing is assumed, reconciliation and staff decide.
      await this.log.note(manager, payment, 'provider amount mismatch', {
        eventId: event.eventId,
        expected: { amountMinor: tender.amountMinor, currency: payment.currency },
        reported: { amountMinor: event.amountMinor, currency: event.currency },
      });
      return 'AMOUNT_MISMATCH';
    }
    const decision = decideProviderOutcome(payment.state, tender.state === 'CAPTURED', event.outcome);
    const detail = { provider: event.provider, eventId: event.eventId, providerType: event.providerType, providerRef: event.providerRef };
    const now = new Date();
    switch (decision.kind) {
      case 'SUCCEED':
        await this.settlement.capture(manager, payment, now);
        await this.log.transition(manager, payment, 'SUCCEEDED', `${event.provider} captured`, detail, { succeededAt: now });
        await this.publisher.publish(manager, paymentSucceeded, {
          subject: payment.orderId,
          data: { orderId: payment.orderId, paymentId: payment.id, amountMinor: payment.amountMinor, currency: payment.currency, succeededAt: now.toISOString() },
        });
        return 'SUCCEEDED';
      case 'FAIL':
        await this.settlement.release(manager, payment, `payment ${payment.serial} failed`);
        await this.log.transition(manager, payment, 'FAILED', `${event.provider} declined`, detail);
        await this.publishFailed(manager, payment, 'PROVIDER_DECLINED', now);
        return 'FAILED';
      case 'REFUND_LATE_CAPTURE':
        await manager.update(Tender, { id: tender.id }, { state: 'CAPTURED', capturedAt: now });
        await this.log.note(manager, payment, `${event.provider} captured after the payment was ${payment.state.toLowerCase()}; refunding`, detail);
        await this.refunds.refundLateCapture(manager, payment, { ...tender, state: 'CAPTURED', capturedAt: now });
        return 'LATE_CAPTURE_REFUNDED';
      case 'IGNORE':
        return `IGNORED: ${decision.why}`;
    }
  }

  /**
   * The order closed (payment window, shopper, stock): every payment still waiting for its
   * provider is cancelled and its gift cards and points credited back. A provider success that
   * comes later is refunded (applyProviderEvent).
   */
  async cancelOpenPayments(manager: EntityManager, orderId: string, reason: string): Promise<void> {
    const open = await manager.find(Payment, { where: { orderId, state: In(['CREATED', 'PENDING']) }, lock: { mode: 'pessimistic_write' } });
    for (const payment of open) {
      await this.settlement.release(manager, payment, `payment ${payment.serial} cancelled: order closed`);
      await this.log.transition(manager, payment, 'CANCELLED', 'order closed', { orderCloseReason: reason });
      await this.publishFailed(manager, payment, 'ORDER_CLOSED', new Date());
    }
  }

  /**
   * A payment still waiting for its provider gives way to a new attempt of the shopper's: an
   * abandoned payment page must not keep the order unpayable. Its gift cards and points come
   * back now; a capture the provider reports later is refunded like any late capture.
   */
  async supersede(manager: EntityManager, payment: Payment): Promise<void> {
    await this.settlement.release(manager, payment, `payment ${payment.serial} superseded by a new attempt`);
    await this.log.transition(manager, payment, 'CANCELLED', 'superseded by a new attempt', {});
    await this.publishFailed(manager, payment, 'SUPERSEDED', new Date());
  }

  private async publishFailed(manager: EntityManager, payment: Payment, reason: 'PROVIDER_DECLINED' | 'ORDER_CLOSED' | 'SUPERSEDED', at: Date): Promise<void> {
    await this.publisher.publish(manager, paymentFailed, {
      subject: payment.orderId,
      data: { orderId: payment.orderId, paymentId: payment.id, amountMinor: payment.amountMinor, currency: payment.currency, reason, failedAt: at.toISOString() },
    });
  }
}
