import { PeriodicWorker } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { ReadModelService } from './read-model.service.js';

/**
 * A delivered order completes when its after-sales window is over, with no event to say so: every
 * COMPLETION_SWEEP_INTERVAL_MS this rolls up again the DELIVERED orders whose `completes_at` passed
 * and that have no after-sales case open, COMPLETION_SWEEP_BATCH_SIZE per transaction. Replicas
 * sweep side by side: SKIP LOCKED hands each order to one of them, and an order an event moved
 * meanwhile is simply rolled up as it now is.
 */
@Injectable()
export class CompletionSweepWorker extends PeriodicWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: ReadModelService,
    config: GatewayConfig,
    metrics: Registry,
  ) {
    super(
      { name: 'completion-sweep', intervalMs: config.COMPLETION_SWEEP_INTERVAL_MS, batchSize: config.COMPLETION_SWEEP_BATCH_SIZE },
      { metrics },
    );
  }

  protected override describeRun(due: number): string {
    return `rolled up ${due} delivered order(s) past their after-sales window`;
  }

  protected runBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due: { order_id: string }[] = await manager.query(
        // An open after-sales case holds the order at DELIVERED; its end rolls the order up itself.
        `SELECT order_id FROM order_view WHERE shopper_status = 'DELIVERED' AND completes_at <= now() AND NOT after_sales_flag
          ORDER BY completes_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const { order_id: orderId } of due) await this.readModel.reRoll(manager, orderId);
      return due.length;
    });
  }
}
