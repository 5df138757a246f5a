import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrdersConfig } from '../config/orders-config.js';

/**
 * Forgets the Idempotency-Keys of placements older than PLACEMENT_REQUEST_RETENTION_HOURS, so
 * placement_request does not grow forever. Deletes in batches of PLACEMENT_REQUEST_PURGE_BATCH_SIZE,
 * each its own short statement; instances purging side by side skip each other's rows.
 */
@Injectable()
export class PlacementRequestPurgeWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlacementRequestPurgeWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: OrdersConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopping = false;
    this.timer = setInterval(() => {
      this.running ??= this.purge()
        .then((purged) => {
          if (purged > 0) this.logger.log(`purged ${purged} expired placement request(s)`);
        })
        .catch((error: unknown) => this.logger.warn(`placement request purge failed, retrying next tick: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.PLACEMENT_REQUEST_PURGE_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Batches until nothing expired is left (or the app stops); returns how many rows it deleted. */
  async purge(): Promise<number> {
    const batchSize = this.config.PLACEMENT_REQUEST_PURGE_BATCH_SIZE;
    let purged = 0;
    for (;;) {
      const deleted = await this.purgeBatch(batchSize);
      purged += deleted;
      if (deleted < batchSize || this.stopping) return purged;
    }
  }

  private async purgeBatch(limit: number): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected].
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM placement_request
        WHERE (buyer_id, idempotency_key) IN (
          SELECT buyer_id, idempotency_key FROM placement_request
           WHERE created_at < now() - make_interval(hours => $1)
           ORDER BY created_at
           LIMIT $2
           FOR UPDATE SKIP LOCKED)`,
      [this.config.PLACEMENT_REQUEST_RETENTION_HOURS, limit],
    );
    return deleted;
  }
}
