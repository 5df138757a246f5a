import { PeriodicWorker } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { InventoryConfig } from '../config/inventory-config.js';
import { HoldsService } from './holds.service.js';

/**
 * Releases lapsed holds every HOLD_SWEEP_INTERVAL_MS, HOLD_SWEEP_BATCH_SIZE orders per
 * transaction. Every instance sweeps (not exclusive): FOR UPDATE SKIP LOCKED keeps them off each
 * other's rows, so replicas share the backlog instead of waiting for one another.
 */
@Injectable()
export class HoldExpiryWorker extends PeriodicWorker {
  constructor(
    private readonly holds: HoldsService,
    config: InventoryConfig,
    metrics: Registry,
  ) {
    super({ name: 'hold-expiry', intervalMs: config.HOLD_SWEEP_INTERVAL_MS, batchSize: config.HOLD_SWEEP_BATCH_SIZE }, { metrics });
  }

  protected override describeRun(released: number): string {
    return `released the lapsed holds of ${released} order(s)`;
  }

  protected runBatch(limit: number): Promise<number> {
    return this.holds.releaseExpired(limit);
  }
}
