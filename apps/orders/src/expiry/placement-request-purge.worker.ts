import { PeriodicWorker, purgeIdempotencyKeys } from '@mallard/platform';
import { Inject, Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { OrdersConfig } from '../config/orders-config.js';

/**
 * Forgets the Idempotency-Keys of placements older than PLACEMENT_REQUEST_RETENTION_HOURS, so
 * idempotent_request does not grow forever. Deletes in batches of PLACEMENT_REQUEST_PURGE_BATCH_SIZE,
 * each its own short statement; instances purging side by side skip each other's rows.
 */
@Injectable()
export class PlacementRequestPurgeWorker extends PeriodicWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: OrdersConfig,
    @Inject(Registry) metrics: Registry,
  ) {
    super(
      {
        name: 'placement-request-purge',
        intervalMs: config.PLACEMENT_REQUEST_PURGE_INTERVAL_MS,
        batchSize: config.PLACEMENT_REQUEST_PURGE_BATCH_SIZE,
      },
      { metrics },
    );
  }

  protected override describeRun(purged: number): string {
    return `purged ${purged} expired placement request(s)`;
  }

  protected runBatch(limit: number): Promise<number> {
    return purgeIdempotencyKeys(this.dataSource, {
      scope: 'place-order',
      retentionHours: this.config.PLACEMENT_REQUEST_RETENTION_HOURS,
      batchSize: limit,
      // One batch per call: the worker drains batch after batch and stops between them.
      stop: () => true,
    });
  }
}
