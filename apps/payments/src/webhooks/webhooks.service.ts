import { idempotently, withLockRetry } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PaymentsMetrics } from '../metrics/payments-metrics.js';
import { Payment } from '../payment/payment.entity.js';
import { PaymentOutcomes, type ProviderEventResult } from '../payment/payment-outcomes.js';
import { type CallbackAck, type ProviderEvent, unusableReason } from '../providers/payment-provider.js';
import { PaymentProviders } from '../providers/payment-providers.js';
import { RefundWorker } from '../refunds/refund.worker.js';
import { ReceivedProviderEvent } from './received-provider-event.entity.js';
import { webhookProblems } from './webhooks.problems.js';

/**
 * The idempotency scope of provider notifications; the requester is the provider. Never purged:
 * a provider may resend a notification long after, and provider_event keeps each one anyway.
 */
const PROVIDER_EVENT = 'provider-event';

export interface IntakeResult {
  ack: CallbackAck;
  outcome: string;
}

/**
 * A provider callback as the gateway forwarded it: raw body and headers. Verified by its
 * provider first (a forgery is a 401 and changes nothing), then recorded by the provider's
 * notification id and applied in the same transaction — a repeat finds the id and does nothing.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: PaymentProviders,
    private readonly outcomes: PaymentOutcomes,
    private readonly worker: RefundWorker,
    private readonly metrics: PaymentsMetrics,
  ) {}

  async receive(providerName: string, rawBody: Buffer, headers: Record<string, string | undefined>): Promise<IntakeResult> {
    const provider = this.providers.find(providerName);
    if (!provider) throw webhookProblems.unknownProvider(providerName);
    const verified = await provider.verifyCallback(rawBody, headers);
    const unusable = verified.ok ? unusableReason(verified.event) : verified.unusable ? verified.reason : null;
    if (unusable !== null) {
      this.logger.warn(`${providerName} callback verified but unusable: ${unusable}`);
      throw webhookProblems.unusable(unusable);
    }
    if (!verified.ok) {
      this.logger.warn(`${providerName} callback rejected: ${verified.reason}`);
      throw webhookProblems.signatureInvalid(verified.reason);
    }
    const event = verified.event;
    const { outcome, mismatches } = await withLockRetry(() =>
      this.dataSource.transaction((manager) =>
        idempotently(
          manager,
          // A notification id names one notification, whatever its body: no fingerprint to compare.
          { scope: PROVIDER_EVENT, requester: event.provider, key: event.eventId, fingerprint: null },
          {
            run: async () => {
              const { result, paymentId } = await this.apply(manager, event);
              await manager.insert(ReceivedProviderEvent, {
                provider: event.provider,
                eventId: event.eventId,
                providerType: event.providerType,
                paymentId,
                outcome: result.outcome.slice(0, 200),
              });
              return result;
            },
            replay: (): ProviderEventResult => ({ outcome: 'DUPLICATE', mismatches: [] }),
            reused: () => new Error(`provider event ${event.provider}/${event.eventId} cannot be reused`),
          },
        ),
      ),
    );
    if (outcome === 'LATE_CAPTURE_REFUNDED') this.worker.wake();
    // Counted once committed: a try rolled back over a lock conflict detects it again.
    for (const mismatch of mismatches) this.metrics.paymentAmountMismatch.inc({ mismatch });
    return { ack: provider.ack, outcome };
  }

  /** What the notification does to its payment, if it is about one of ours. */
  private async apply(manager: EntityManager, event: ProviderEvent): Promise<{ result: ProviderEventResult; paymentId: string | null }> {
    if (event.kind !== 'PAYMENT' || !event.paymentSerial)
      return { result: { outcome: 'IGNORED: not about a charge', mismatches: [] }, paymentId: null };
    const payment = await manager.findOne(Payment, { where: { serial: event.paymentSerial }, lock: { mode: 'pessimistic_write' } });
    if (!payment || payment.provider !== event.provider) return { result: { outcome: 'UNKNOWN_PAYMENT', mismatches: [] }, paymentId: null };
    return { result: await this.outcomes.applyProviderEvent(manager, payment, event), paymentId: payment.id };
  }
}
