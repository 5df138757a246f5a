import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PaymentsConfig } from '../config/payments-config.js';
import { PaymentService } from './payment.service.js';

const PURGE_EVERY_MS = 60_000;

/**
 * Forgets payments' Idempotency-Keys past their retention (IDEMPOTENCY_RETENTION_HOURS): on the
 * first tick after start, then at most once a minute, on the worker interval of the service.
 */
@Injectable()
export class PaymentRequestPurgeWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PaymentRequestPurgeWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastPurge = 0;

  constructor(
    private readonly payments: PaymentService,
    private readonly config: PaymentsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.PAYMENTS_WORKER_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || Date.now() - this.lastPurge <= PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    this.running = this.payments
      .purgeIdempotencyKeys()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn(`idempotency key purge failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
      });
  }
}
