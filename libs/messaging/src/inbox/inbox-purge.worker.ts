import { PeriodicWorker } from '@mallard/platform';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { MessagingOptions } from '../tokens.js';
import { purgeInboxBatch } from './inbox-purge.js';

/**
 * Deletes this group's inbox rows past INBOX_RETENTION_DAYS: at start, then every
 * INBOX_PURGE_INTERVAL_MS, INBOX_PURGE_BATCH_SIZE rows per statement so none holds many locks or
 * runs long. Every instance purges (a row deleted twice is simply not found the second time).
 */
export class InboxPurgeWorker extends PeriodicWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: Pick<MessagingOptions, 'consumerGroup' | 'inboxPurge'>,
    logger: Logger,
    metrics?: Registry,
  ) {
    super(
      { name: 'inbox-purge', intervalMs: options.inboxPurge.intervalMs, batchSize: options.inboxPurge.batchSize, firstRunAfterMs: 0 },
      { logger, metrics },
    );
  }

  protected override describeRun(purged: number): string {
    return `purged ${purged} inbox row(s) older than ${this.options.inboxPurge.retentionDays} days`;
  }

  protected runBatch(limit: number): Promise<number> {
    return purgeInboxBatch(this.dataSource, this.options.consumerGroup, this.options.inboxPurge.retentionDays, limit);
  }
}
