import { setTimeout as sleep } from 'node:timers/promises';
import { deadLetterTopicOf, SERVICES } from '@mallard/contracts';
import { type ConsumerGroupInspector, KafkaJsBroker, type PartitionExtent, purgeInbox } from '@mallard/messaging';
import { loadConfig, type ServiceDefinition, type StartedService, startService, withDatabase } from '@mallard/platform';
import { pino } from 'pino';
import type { Counter, Registry } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { GATEWAY_CONSUMES, gatewayService } from '../service.js';

/** The tables the read model is made of: everything a replay of the events writes again. */
const READ_MODEL_TABLES = ['order_view', 'sub_order_view', 'parcel_view', 'refund_view', 'after_sales_view'];

/** A rebuild that did not start: the reason is for the operator. */
export class RebuildRefused extends Error {
  override readonly name = 'RebuildRefused';
}

export interface RebuildOutcome {
  generation: number;
  /** The fresh consumer group the events were replayed under. */
  consumerGroup: string;
  /** Records read, over every partition of the consumed topics. */
  records: number;
  applied: number;
  /** Events that failed again; they are in the group's own dead-letter topic. */
  deadLettered: number;
  deadLetterTopic: string;
  seconds: number;
}

export interface RebuildOptions {
  /**
   * Rebuild even though retention deleted the first records of some partitions: the orders whose
   * events are gone drop out of the read model. Refused without it.
   */
  allowPartial?: boolean;
  /** Progress lines for the operator. */
  report?: (line: string) => void;
  /** How often the replay's progress is checked. */
  checkEveryMs?: number;
  /** The replay gives up when it has read nothing new for this long (a handler failing on every try, a broker gone). */
  stallAfterMs?: number;
}

/**
 * Empties the read model and starts a new generation, in one transaction: from here every
 * order's status is rolled up again from nothing, and the status streams' event ids say so.
 */
export async function emptyReadModel(manager: EntityManager, consumerGroup: string): Promise<number> {
  return manager.transaction(async (transaction) => {
    await transaction.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
    const [{ generation }]: { generation: number }[] = await transaction.query(
      `INSERT INTO read_model_rebuild (generation, consumer_group)
       SELECT coalesce(max(generation), 0) + 1, $1 FROM read_model_rebuild RETURNING generation`,
      [consumerGroup],
    );
    return generation;
  });
}

/**
 * Rebuilds the gateway's read model from the beginning of every topic it consumes, with the
 * gateway stopped (its consumer group must have no members) and the topics whole (no partition
 * trimmed by retention, unless `allowPartial`):
 *
 * 1. starts the gateway's own definition in this process, under a fresh consumer group
 *    (`<group>-rebuild-<time>`), whose inbox is empty and which reads every topic from its first
 *    record; before that consumer starts, the read model's tables are emptied;
 * 2. waits until the group has read every partition up to where it ended when the replay began;
 * 3. stops, marks the generation finished and deletes the fresh group's inbox rows.
 *
 * The gateway then resumes under its own group from its own offsets. What it consumes again
 * (records the replay also applied) changes nothing: the read model keeps the newest of
 * everything (orders' states by rank, sub-orders, parcels and after-sales requests by version,
 * refunds by id).
 */
export async function rebuildReadModel(env: Record<string, string | undefined>, options: RebuildOptions = {}): Promise<RebuildOutcome> {
  const report = options.report ?? (() => undefined);
  const startedAt = Date.now();
  const config = loadConfig(GatewayConfig, env, { PORT: 0, DATABASE_NAME: SERVICES.gateway.database });
  const gatewayGroup = config.KAFKA_CONSUMER_GROUP ?? gatewayService.name;
  const broker = new KafkaJsBroker({
    clientId: 'mallard-gateway-rebuild',
    brokers: config.kafkaBrokers,
    logger: pino({ level: 'warn' }),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
  });
  let replay: StartedService<GatewayConfig> | undefined;
  try {
    const members = await broker.activeMembers(gatewayGroup);
    if (members > 0) {
      throw new RebuildRefused(
        `consumer group ${gatewayGroup} has ${members} member(s): the gateway is running. Stop every gateway instance, then rebuild.`,
      );
    }
    const trimmed = (await broker.topicExtents(GATEWAY_CONSUMES)).filter((extent) => BigInt(extent.earliest) > 0n);
    if (trimmed.length > 0 && !options.allowPartial) {
      throw new RebuildRefused(
        `retention has deleted the first records of ${trimmed.map((extent) => `${extent.topic} partition ${extent.partition}`).join(', ')}: ` +
          'a rebuild would drop the orders whose events are gone. Rebuild from topics kept whole (retention.ms=-1), or pass --allow-partial to accept that.',
      );
    }
    const consumerGroup = `${gatewayGroup}-rebuild-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
    let generation = 0;
    const replaying: ServiceDefinition<GatewayConfig> = {
      ...gatewayService,
      beforeListen: async (app, gatewayConfig, runtime) => {
        // Migrated by now (the database opened with the app), and consuming starts after this.
        generation = await emptyReadModel(app.get(DataSource).manager, consumerGroup);
        await gatewayService.beforeListen?.(app, gatewayConfig, runtime);
      },
    };
    report(`emptying the read model and replaying under consumer group ${consumerGroup}`);
    replay = await startService(replaying, { ...env, KAFKA_CONSUMER_GROUP: consumerGroup, PORT: '0', HOST: '127.0.0.1' });
    const topics = GATEWAY_CONSUMES;
    const extents = await broker.topicExtents(topics);
    const total = extents.reduce((sum, extent) => sum + Number(BigInt(extent.end) - BigInt(extent.earliest)), 0);
    report(`generation ${generation}: ${total} record(s) to read on ${topics.join(', ')}`);

    await waitUntilRead(broker, consumerGroup, topics, extents, total, report, options);
    const counts = await consumedByOutcome(replay.runtime.metrics);
    await replay.app.close();
    replay = undefined;
    await finish(config, generation, consumerGroup);
    const outcome: RebuildOutcome = {
      generation,
      consumerGroup,
      records: total,
      applied: counts.applied ?? 0,
      deadLettered: counts['dead-lettered'] ?? 0,
      deadLetterTopic: deadLetterTopicOf(consumerGroup),
      seconds: Math.round((Date.now() - startedAt) / 1000),
    };
    report(
      `generation ${generation} rebuilt in ${outcome.seconds} s: ${outcome.applied} event(s) applied, ${outcome.deadLettered} dead-lettered` +
        (outcome.deadLettered > 0 ? ` (see ${outcome.deadLetterTopic})` : '') +
        '. Start the gateway again.',
    );
    return outcome;
  } finally {
    await replay?.app.close().catch(() => undefined);
    await broker.close();
  }
}

/** Until the group's committed offsets reach the ends noted at the start, on every partition that had something to read. */
async function waitUntilRead(
  broker: ConsumerGroupInspector,
  consumerGroup: string,
  topics: string[],
  extents: PartitionExtent[],
  total: number,
  report: (line: string) => void,
  { checkEveryMs = 500, stallAfterMs = 600_000 }: RebuildOptions,
): Promise<void> {
  const key = (topic: string, partition: number) => `${topic}#${partition}`;
  let lastProgress = -1;
  let progressAt = Date.now();
  let reportedAt = Date.now();
  for (;;) {
    const committed = new Map(
      (await broker.committedOffsets(consumerGroup, topics)).map((entry) => [key(entry.topic, entry.partition), BigInt(entry.offset)]),
    );
    let read = 0;
    let done = true;
    for (const extent of extents) {
      const [earliest, end] = [BigInt(extent.earliest), BigInt(extent.end)];
      const position = committed.get(key(extent.topic, extent.partition)) ?? -1n;
      read += Number((position < earliest ? earliest : position > end ? end : position) - earliest);
      if (earliest < end && position < end) done = false;
    }
    if (done) return;
    if (read > lastProgress) {
      lastProgress = read;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > stallAfterMs) {
      throw new Error(`the replay read nothing for ${stallAfterMs / 1000} s (${read} of ${total} records read); see the logs`);
    }
    if (Date.now() - reportedAt > 5_000) {
      report(`${read} of ${total} record(s) read`);
      reportedAt = Date.now();
    }
    await sleep(checkEveryMs);
  }
}

/** What the replay's consumer did with the events, from its own metrics. */
async function consumedByOutcome(metrics: Registry): Promise<Record<string, number>> {
  const consumed = metrics.getSingleMetric('events_consumed_total') as Counter<'type' | 'outcome'> | undefined;
  const counts: Record<string, number> = {};
  for (const { labels, value } of (await consumed?.get())?.values ?? []) {
    const outcome = String(labels.outcome);
    counts[outcome] = (counts[outcome] ?? 0) + value;
  }
  return counts;
}

/** The generation is complete; the replay's inbox rows recognise no redelivery any more (nobody consumes under that group again). */
async function finish(config: GatewayConfig, generation: number, consumerGroup: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url: withDatabase(config.DATABASE_URL, config.DATABASE_NAME) });
  await dataSource.initialize();
  try {
    await dataSource.query('UPDATE read_model_rebuild SET finished_at = now() WHERE generation = $1', [generation]);
    await purgeInbox(dataSource, consumerGroup, 0, config.INBOX_PURGE_BATCH_SIZE);
  } finally {
    await dataSource.destroy();
  }
}
