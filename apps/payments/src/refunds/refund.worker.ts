import { PeriodicWorker, retryBackoffMs } from '@mallard/platform';
import { Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PaymentsConfig } from '../config/payments-config.js';
import { Payment } from '../payment/payment.entity.js';
import { PaymentProviders } from '../providers/payment-providers.js';
import { Refund } from './refund.entity.js';
import { RefundPart } from './refund-part.entity.js';
import { RefundService } from './refunds.service.js';

/**
 * Sends provider refund parts to their provider, outside the request that created them, and
 * retries them with backoff (the provider call is idempotent by our refund serial): every
 * PAYMENTS_WORKER_INTERVAL_MS, and at once when woken by whoever created a part. Several
 * instances share the work: SKIP LOCKED hands each part to one of them.
 */
@Injectable()
export class RefundWorker extends PeriodicWorker {
  private readonly logger = new Logger(RefundWorker.name);
  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: PaymentProviders,
    private readonly refunds: RefundService,
    private readonly config: PaymentsConfig,
    metrics: Registry,
  ) {
    super(
      { name: 'refund-dispatch', intervalMs: config.PAYMENTS_WORKER_INTERVAL_MS, batchSize: config.REFUND_DISPATCH_BATCH_SIZE },
      { metrics },
    );
  }

  protected override describeRun(sent: number): string {
    return `sent ${sent} provider refund part(s)`;
  }

  /**
   * Sends due parts one by one, each in its own transaction, until `limit` or none is due; a
   * shutdown stops it between provider calls, not after all of them.
   */
  protected async runBatch(limit: number): Promise<number> {
    let sent = 0;
    while (sent < limit && !this.stopping && (await this.sendOne())) sent += 1;
    return sent;
  }

  /** Sends one due provider part; false when none is due. */
  async sendOne(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [part] = await manager
        .getRepository(RefundPart)
        .createQueryBuilder('part')
        .where(`part.state = 'PENDING'`)
        .andWhere('part.next_attempt_at <= now()')
        .orderBy('part.id')
        .limit(1)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (!part) return false;
      const refund = await manager.findOneByOrFail(Refund, { id: part.refundId });
      const payment = await manager.findOneByOrFail(Payment, { id: refund.paymentId! });
      const provider = this.providers.get(part.provider as 'sandbox' | 'stripe' | 'alipay');
      const attempts = part.attempts + 1;
      try {
        const result = await provider.refund({
          refundSerial: refund.serial,
          paymentSerial: payment.serial,
          providerRef: payment.providerRef,
          amountMinor: part.amountMinor,
          currency: refund.currency,
        });
        if (result.status === 'SUCCEEDED') {
          await manager.update(
            RefundPart,
            { id: part.id, state: 'PENDING' },
            { state: 'SUCCEEDED', attempts, providerRef: result.providerRef, completedAt: new Date(), lastError: null },
          );
        } else {
          await manager.update(
            RefundPart,
            { id: part.id, state: 'PENDING' },
            { state: 'FAILED', attempts, lastError: result.detail.slice(0, 500), completedAt: new Date() },
          );
        }
      } catch (error) {
        const message = (error as Error).message.slice(0, 500);
        if (attempts >= this.config.REFUND_MAX_ATTEMPTS) {
          await manager.update(
            RefundPart,
            { id: part.id, state: 'PENDING' },
            { state: 'FAILED', attempts, lastError: `gave up after ${attempts} attempts: ${message}`, completedAt: new Date() },
          );
        } else {
          const backoffMs = retryBackoffMs(attempts, { firstMs: 1_000, maxMs: 300_000 });
          await manager.update(
            RefundPart,
            { id: part.id, state: 'PENDING' },
            { attempts, lastError: message, nextAttemptAt: new Date(Date.now() + backoffMs) },
          );
          this.logger.warn(
            `refund ${refund.serial} to ${part.provider} failed (attempt ${attempts}), retrying in ${backoffMs} ms: ${message}`,
          );
          return true;
        }
      }
      await this.refunds.complete(manager, refund.id);
      return true;
    });
  }
}
