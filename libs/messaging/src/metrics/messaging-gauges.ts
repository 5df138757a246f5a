import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { ConsumerGroupInspector } from '../broker/message-broker.js';
import { consumerLag } from './consumer-lag.js';
import { SCRAPE_BUDGET_MS, withTimeout } from './scrape-budget.js';

/**
 * What an operator watches of a service's messaging, measured when Prometheus scrapes: the outbox
 * backlog and the age of its oldest event (the relay falling behind, or Kafka unreachable), and
 * the consumer group's lag per partition. A measurement that fails (the database or the broker is
 * down) keeps the last figures and is logged; the scrape itself never fails for it.
 */
export function registerMessagingGauges(
  registry: Registry,
  sources: {
    dataSource: DataSource;
    inspector: ConsumerGroupInspector;
    consumerGroup: string;
    consumes: readonly string[];
    logger: Logger;
  },
): { registered: string[] } {
  const { dataSource, inspector, consumerGroup, consumes, logger } = sources;
  const registered = ['outbox_backlog_events', 'outbox_oldest_event_age_seconds'];
  // A scrape collects its metrics concurrently: both outbox gauges await one query per scrape.
  let measuring: { at: number; figures: Promise<{ waiting: number; age: number } | undefined> } | undefined;
  const outbox = () => {
    if (!measuring || Date.now() - measuring.at > 1_000) {
      measuring = {
        at: Date.now(),
        // Within Prometheus' scrape timeout even when the pool cannot get a connection.
        figures: withTimeout(measureOutbox(dataSource, logger), SCRAPE_BUDGET_MS).catch((error: unknown) => {
          logger.warn({ err: error }, 'outbox gauges not measured');
          return undefined;
        }),
      };
    }
    return measuring.figures;
  };
  new Gauge({
    name: 'outbox_backlog_events',
    help: 'Events written to the outbox and not yet relayed to Kafka',
    registers: [registry],
    async collect() {
      const figures = await outbox();
      if (figures) this.set(figures.waiting);
    },
  });
  new Gauge({
    name: 'outbox_oldest_event_age_seconds',
    help: 'Age of the oldest event waiting in the outbox; 0 when it is empty',
    registers: [registry],
    async collect() {
      const figures = await outbox();
      if (figures) this.set(figures.age);
    },
  });
  if (consumes.length === 0) return { registered };
  new Gauge({
    name: 'consumer_lag_messages',
    help: 'Records of a consumed partition the consumer group has not yet committed past',
    labelNames: ['consumer_group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      try {
        const topics = [...consumes];
        const [extents, committed] = await withTimeout(
          Promise.all([inspector.topicExtents(topics), inspector.committedOffsets(consumerGroup, topics)]),
          SCRAPE_BUDGET_MS,
        );
        for (const { topic, partition, lag } of consumerLag(extents, committed)) {
          this.set({ consumer_group: consumerGroup, topic, partition: String(partition) }, lag);
        }
      } catch (error) {
        logger.warn({ err: error }, 'consumer lag not measured');
      }
    },
  });
  return { registered: [...registered, 'consumer_lag_messages'] };
}

async function measureOutbox(dataSource: DataSource, logger: Logger): Promise<{ waiting: number; age: number } | undefined> {
  try {
    // The oldest by position, the relay's own order (its primary key): no scan for the minimum.
    const [row] = (await dataSource.query(
      `SELECT (SELECT count(*)::int FROM outbox_message) AS waiting,
              COALESCE((SELECT EXTRACT(EPOCH FROM now() - created_at)::float8 FROM outbox_message ORDER BY position LIMIT 1), 0) AS age`,
    )) as { waiting: number; age: number }[];
    return row;
  } catch (error) {
    logger.warn({ err: error }, 'outbox gauges not measured');
    return undefined;
  }
}
