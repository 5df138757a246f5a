import type { DataSource } from 'typeorm';

/**
 * Deletes up to `limit` of this group's inbox rows older than the retention, in one short
 * statement, and says how many went. An event redelivered after its row is gone would be applied
 * again, so the retention must exceed how far back Kafka can redeliver (its topic retention).
 */
export async function purgeInboxBatch(
  dataSource: DataSource,
  consumerGroup: string,
  retentionDays: number,
  limit: number,
): Promise<number> {
  // TypeORM answers a DELETE with [rows, affected].
  const [, deleted] = (await dataSource.query(
    `DELETE FROM inbox_message WHERE (consumer_group, event_id) IN (
       SELECT consumer_group, event_id FROM inbox_message
        WHERE consumer_group = $1 AND processed_at < now() - make_interval(days => $2)
        LIMIT $3)`,
    [consumerGroup, retentionDays, limit],
  )) as [unknown, number];
  return deleted;
}

/** Purges batch after batch until nothing past the retention is left; returns how many rows went. */
export async function purgeInbox(dataSource: DataSource, consumerGroup: string, retentionDays: number, batchSize: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const deleted = await purgeInboxBatch(dataSource, consumerGroup, retentionDays, batchSize);
    purged += deleted;
    if (deleted < batchSize) return purged;
  }
}
