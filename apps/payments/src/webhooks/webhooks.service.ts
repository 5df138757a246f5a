import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withLockRetry } from '../common/lock-retry.js';
import { Payment } from '../payment/payment.entity.js';
import { PaymentOutcomes } from '../payment/payment-outcomes.js';
import { type CallbackAck, unusableReason } from '../providers/payment-provider.js';
import { PaymentProviders } from '../providers/payment-providers.js';
import { RefundWorker } from '../refunds/refund.worker.js';
import { ReceivedProviderEvent } from './received-provider-event.entity.js';
import { webhookProblems } from './webhooks.problems.js';

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
    const outcome = await withLockRetry(() =>
      this.dataSource.transaction(async (manager) => {
        const claimed: unknown[] = await manager.query(
          `INSERT INTO provider_event (provider, event_id, provider_type, outcome) VALUES ($1, $2, $3, 'RECEIVED') ON CONFLICT DO NOTHING RETURNING 1`,
          [event.provider, event.eventId, event.providerType],
        );
        if (claimed.length === 0) return 'DUPLICATE';
        let result: string;
        let paymentId: string | null = null;
        if (event.kind !== 'PAYMENT' || !event.paymentSerial) {
          result = 'IGNORED: not about a charge';
        } else {
          const payment = await manager.findOne(Payment, { where: { serial: event.paymentSerial }, lock: { mode: 'pessimistic_write' } });
          if (!payment || payment.provider !== event.provider) {
            result = 'UNKNOWN_PAYMENT';
          } else {
            paymentId = payment.id;
            result = await this.outcomes.applyProviderEvent(manager, payment, event);
          }
        }
        await manager.update(
          ReceivedProviderEvent,
          { provider: event.provider, eventId: event.eventId },
          { outcome: result.slice(0, 200), paymentId },
        );
        return result;
      }),
    );
    if (outcome === 'LATE_CAPTURE_REFUNDED') this.worker.wake();
    return { ack: provider.ack, outcome };
  }
}
