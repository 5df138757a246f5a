import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../tokens.js';

/**
 * Deletes this group's inbox rows older than the retention, a batch at a time so no statement
 * holds many locks or runs long. An event redelivered after its row is gone would be applied
 * again, so the retention must exceed how far back Kafka can redeliver (its topic retention).
 * Returns how many rows went.
 */
export async function purgeInbox(dataSource: DataSource, consumerGroup: string, retentionDays: number, batchSize: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const [, deleted] = (await dataSource.query(
      `DELETE FROM inbox_message WHERE (consumer_group, event_id) IN (
         SELECT consumer_group, event_id FROM inbox_message
          WHERE consumer_group = $1 AND processed_at < now() - make_interval(days => $2)
          LIMIT $3)`,
      [consumerGroup, retentionDays, batchSize],
    )) as [unknown, number];
    purged += deleted;
    if (deleted < batchSize) return purged;
  }
}

/** Runs purgeInbox at start and then on an interval, for the life of the app. */
@Injectable()
export class InboxPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalMs } = this.options.inboxPurge;
    this.tick();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    const { retentionDays, batchSize } = this.options.inboxPurge;
    this.running = purgeInbox(this.dataSource, this.options.consumerGroup, retentionDays, batchSize)
      .then((purged) => {
        if (purged > 0) this.logger.info({ purged, retentionDays }, 'purged old inbox rows');
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'inbox purge failed; trying again later'))
      .finally(() => {
        this.running = undefined;
      });
  }
}
