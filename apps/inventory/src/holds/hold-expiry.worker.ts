import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InventoryConfig } from '../config/inventory-config.js';
import { HoldsService } from './holds.service.js';

/**
 * Releases lapsed holds every HOLD_SWEEP_INTERVAL_MS, HOLD_SWEEP_BATCH_SIZE orders per
 * transaction. Every instance sweeps; FOR UPDATE SKIP LOCKED keeps them off each other's rows.
 */
@Injectable()
export class HoldExpiryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HoldExpiryWorker');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly holds: HoldsService,
    private readonly config: InventoryConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopping = false;
    this.timer = setInterval(() => this.tick(), this.config.HOLD_SWEEP_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    // Let the batch in hand commit before the database connection closes.
    await this.running;
  }

  /** One pass: batches until no lapsed hold is left (or the app stops). Returns orders released. */
  async sweep(): Promise<number> {
    const batchSize = this.config.HOLD_SWEEP_BATCH_SIZE;
    let released = 0;
    for (;;) {
      const count = await this.holds.releaseExpired(batchSize);
      released += count;
      if (count < batchSize || this.stopping) return released;
    }
  }

  private tick(): void {
    if (this.running || this.stopping) return;
    this.running = this.sweep()
      .then((released) => {
        if (released > 0) this.logger.log(`released the lapsed holds of ${released} order(s)`);
      })
      .catch((error: unknown) => this.logger.warn(`hold sweep failed, retrying next tick: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
      });
  }
}
