import { PeriodicWorker, purgeIdempotencyKeys } from '@mallard/platform';
import { Inject, Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PaymentsConfig } from '../config/payments-config.js';
import { PAY } from './payment.service.js';

/** Keys are few (one per payment attempt): a purge once a minute keeps up with any load. */
const PURGE_EVERY_MS = 60_000;
/** Rows per DELETE, so a purge never holds many locks or one long transaction. */
const PURGE_BATCH_SIZE = 1_000;

/**
 * Forgets payments' Idempotency-Keys past their retention (IDEMPOTENCY_RETENTION_HOURS): on the
 * first run of the service's workers (PAYMENTS_WORKER_INTERVAL_MS after start), then about once a
 * minute. Instances purging side by side skip each other's rows.
 */
@Injectable()
export class PaymentRequestPurgeWorker extends PeriodicWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PaymentsConfig,
    @Inject(Registry) metrics: Registry,
  ) {
    super(
      {
        name: 'payment-request-purge',
        intervalMs: Math.max(PURGE_EVERY_MS, config.PAYMENTS_WORKER_INTERVAL_MS),
        firstRunAfterMs: config.PAYMENTS_WORKER_INTERVAL_MS,
        batchSize: PURGE_BATCH_SIZE,
      },
      { metrics },
    );
  }

  protected override describeRun(purged: number): string {
    return `purged ${purged} Idempotency-Key(s) of payments older than ${this.config.IDEMPOTENCY_RETENTION_HOURS} h`;
  }

  protected runBatch(limit: number): Promise<number> {
    return purgeIdempotencyKeys(this.dataSource, {
      scope: PAY,
      retentionHours: this.config.IDEMPOTENCY_RETENTION_HOURS,
      batchSize: limit,
      // One batch per call: the worker drains batch after batch and stops between them.
      stop: () => true,
    });
  }
}
