import { PeriodicWorker } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { GatewayConfig } from '../config/gateway-config.js';
import { StatusStreamService } from './status-stream.service.js';

/**
 * Re-reads the orders this instance's status streams watch, every STATUS_STREAM_POLL_INTERVAL_MS,
 * STATUS_STREAM_POLL_BATCH_SIZE orders per query: a change another gateway instance's consumer
 * committed tells no listener here. Nothing is read while no stream is open.
 */
@Injectable()
export class StatusStreamPollWorker extends PeriodicWorker {
  constructor(
    private readonly streams: StatusStreamService,
    config: GatewayConfig,
    metrics: Registry,
  ) {
    super(
      { name: 'status-stream-poll', intervalMs: config.STATUS_STREAM_POLL_INTERVAL_MS, batchSize: config.STATUS_STREAM_POLL_BATCH_SIZE },
      { metrics },
    );
  }

  protected override describeRun(pushed: number): string {
    return `pushed ${pushed} status change(s) found by re-reading the watched orders`;
  }

  /**
   * Counts the streams it pushed to, not the orders it read, so a run logs only when it found
   * something; a run that pushed to a whole batch's worth simply reads once more.
   */
  protected runBatch(limit: number): Promise<number> {
    return this.streams.refreshWatched(limit);
  }
}
