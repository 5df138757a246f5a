import { setTimeout as sleep } from 'node:timers/promises';
import { deadLetterTopicOf, defineEvent, EventRegistry, newCloudEvent, toKafkaRecord } from '@mallard/contracts';
import { currentCorrelationId, runWithCorrelation } from '@mallard/platform';
import {
  committedOffsets,
  dropDatabase,
  eventually,
  queryDatabase,
  readTopic,
  rewindConsumerGroup,
  sendRaw,
  startTestService,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { Controller, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventContext } from './consumer/event-context.js';
import { OnEvent } from './consumer/on-event.js';
import { defineEventDrivenService } from './event-driven-service.js';
import { purgeInbox } from './inbox/inbox-purge.js';
import { EventPublisher } from './outbox/event-publisher.js';
import { OUTBOX_WRITTEN } from './outbox/outbox-relay.js';

const suffix = uniqueSuffix();
const topic = `mallard.test.things.${suffix}`;
const consumerGroup = `test-consumer-${suffix}`;

class ThingHappened {
  @IsString() thingId: string;
  @IsInt() sequence: number;
  @IsOptional() @IsBoolean() poison?: boolean;
  @IsOptional() @IsInt() slowMs?: number;
}

const thingHappened = defineEvent({
  type: 'test.thing-happened',
  version: 1,
  topic,
  payload: ThingHappened,
  description: 'A test event of the messaging suite',
});
/** A later version of the same type: its own payload class, its own handler. */
class ThingHappenedV2 {
  @IsString() thingId: string;
  @IsString() colour: string;
}
const thingHappenedV2 = defineEvent({ type: thingHappened.type, version: 2, topic, payload: ThingHappenedV2, description: 'v2' });
/** A version published before the consumer has a handler for it. */
const thingHappenedV3 = defineEvent({ type: thingHappened.type, version: 3, topic, payload: ThingHappenedV2, description: 'v3' });
const registry = new EventRegistry([thingHappened, thingHappenedV2, thingHappenedV3]);

/** Handler starts seen in this process, so a test can act while one is in flight. */
const handlerStarts: string[] = [];

@Controller()
class ThingHandler {
  @OnEvent(thingHappened)
  async onThing(@Payload() data: ThingHappened, @Ctx() context: EventContext): Promise<void> {
    handlerStarts.push(context.event.id);
    if (data.poison) throw new Error(`thing ${data.thingId} is poisoned`);
    if (data.slowMs) await sleep(data.slowMs);
    await context.manager.query('INSERT INTO applied_thing (event_id, thing_id, sequence, correlation_id) VALUES ($1, $2, $3, $4)', [
      context.event.id,
      data.thingId,
      data.sequence,
      currentCorrelationId() ?? null,
    ]);
  }
}

@Controller()
class ThingV2Handler {
  @OnEvent(thingHappenedV2)
  async onThing(@Payload() data: ThingHappenedV2, @Ctx() context: EventContext): Promise<void> {
    await context.manager.query('INSERT INTO applied_thing (event_id, thing_id, sequence) VALUES ($1, $2, 0)', [
      context.event.id,
      `${data.thingId}:${data.colour}`,
    ]);
  }
}

class AppliedThingTable1764060000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE applied_thing (id bigserial PRIMARY KEY, event_id text NOT NULL, thing_id text NOT NULL,
       sequence int NOT NULL, correlation_id text)`,
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE applied_thing');
  }
}

@Module({ controllers: [ThingHandler, ThingV2Handler] })
class ConsumerModule {}

const producerDefinition = defineEventDrivenService({
  name: `test-producer-${suffix}`,
  features: [],
  publishes: [topic],
  registry,
  partitions: 3,
  relay: { pollIntervalMs: 100 },
});
const consumerDefinition = defineEventDrivenService({
  name: consumerGroup,
  features: [ConsumerModule],
  consumes: [topic],
  registry,
  partitions: 3,
  migrations: [AppliedThingTable1764060000001],
  consumer: { retryBackoffMs: 20, handlerAttempts: 2 },
});

const byKindOf = <R extends { headers: Record<string, string> }>(records: R[], kind: string) =>
  records.filter((record) => record.headers.dlq_kind === kind);

interface AppliedRow {
  id: string;
  event_id: string;
  thing_id: string;
  sequence: number;
  correlation_id: string | null;
}

describe('messaging between two services over real Kafka and PostgreSQL', () => {
  let producer: TestService;
  let consumer: TestService;
  let consumerDatabase: string;

  const applied = (thingId?: string): Promise<AppliedRow[]> =>
    queryDatabase<AppliedRow>(
      consumerDatabase,
      thingId ? 'SELECT * FROM applied_thing WHERE thing_id = $1 ORDER BY id' : 'SELECT * FROM applied_thing ORDER BY id',
      thingId ? [thingId] : [],
    );

  const publish = (things: ThingHappened[]): Promise<unknown> => {
    const publisher = producer.app.get(EventPublisher);
    return producer.app
      .get(DataSource)
      .transaction((manager) => publisher.publish(manager, thingHappened, ...things.map((data) => ({ subject: data.thingId, data }))));
  };

  const consumedCount = async (service: TestService, outcome: string): Promise<number> => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('events_consumed_total{') && line.includes(`outcome="${outcome}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  };

  /** event_runs_reapplied_total of the consumer, for one reason. */
  const reappliedRuns = async (service: TestService, reason: string): Promise<number> => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const line = text.split('\n').find((row) => row.startsWith('event_runs_reapplied_total{') && row.includes(`reason="${reason}"`));
    return Number(line?.split(' ').at(-1));
  };

  beforeAll(async () => {
    producer = await startTestService(producerDefinition);
    consumer = await startTestService(consumerDefinition, { KAFKA_CONSUMER_GROUP: consumerGroup });
    consumerDatabase = consumer.databaseName;
  });

  afterAll(async () => {
    await producer?.stop();
    await consumer?.stop();
    await Promise.all([producer && dropDatabase(producer.databaseName), consumerDatabase && dropDatabase(consumerDatabase)]);
  });

  it('delivers each committed event once, in order for each key', async () => {
    for (let sequence = 1; sequence <= 30; sequence += 1) {
      await publish([
        { thingId: 'alpha', sequence },
        { thingId: 'beta', sequence },
      ]);
    }
    await publish(Array.from({ length: 40 }, (_, index) => ({ thingId: 'gamma', sequence: index + 1 })));

    const rows = await eventually(
      () => applied(),
      (all) => all.filter((row) => ['alpha', 'beta', 'gamma'].includes(row.thing_id)).length >= 100,
    );
    for (const thingId of ['alpha', 'beta', 'gamma']) {
      const sequences = rows.filter((row) => row.thing_id === thingId).map((row) => row.sequence);
      const expected = thingId === 'gamma' ? 40 : 30;
      expect(sequences).toEqual(Array.from({ length: expected }, (_, index) => index + 1));
    }
    expect(new Set(rows.map((row) => row.event_id)).size).toBe(rows.length);
    const leftInOutbox = await queryDatabase(producer.databaseName, 'SELECT count(*)::int AS n FROM outbox_message');
    expect(leftInOutbox[0].n).toBe(0);
  });

  it('relays on its poll a row it was not woken for (another instance’s, or one a crash left)', async () => {
    await producer.app.get(DataSource).transaction(async (manager) => {
      await producer.app
        .get(EventPublisher)
        .publish(manager, thingHappened, { subject: 'unannounced', data: { thingId: 'unannounced', sequence: 1 } });
      // As if another instance had written it: this instance's relay is not woken by the commit.
      delete (manager.queryRunner!.data as Record<symbol, unknown>)[OUTBOX_WRITTEN];
    });
    const rows = await eventually(
      () => applied('unannounced'),
      (all) => all.length > 0,
    );
    expect(rows.map((row) => row.sequence)).toEqual([1]);
    // The relay deletes the row in the transaction it sent it from, which may commit just after the consumer applied it.
    const left = await eventually(
      () => queryDatabase<{ n: number }>(producer.databaseName, 'SELECT count(*)::int AS n FROM outbox_message'),
      ([row]) => row.n === 0,
    );
    expect(left[0].n).toBe(0);
  });

  it('publishes nothing from a transaction that rolled back', async () => {
    const dataSource = producer.app.get(DataSource);
    const publisher = producer.app.get(EventPublisher);
    await expect(
      dataSource.transaction(async (manager) => {
        await publisher.publish(manager, thingHappened, { subject: 'rolled-back', data: { thingId: 'rolled-back', sequence: 1 } });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await publish([{ thingId: 'after-rollback', sequence: 1 }]);
    await eventually(
      () => applied('after-rollback'),
      (rows) => rows.length === 1,
    );
    expect(await applied('rolled-back')).toEqual([]);
  });

  it('refuses to publish outside a transaction', async () => {
    const publisher = producer.app.get(EventPublisher);
    await expect(
      publisher.publish(producer.app.get(DataSource).manager, thingHappened, { subject: 'x', data: { thingId: 'x', sequence: 1 } }),
    ).rejects.toThrow(/inside the transaction/);
  });

  it('rejects an invalid payload in the producer transaction', async () => {
    await expect(publish([{ thingId: 'bad', sequence: 'one' as unknown as number }])).rejects.toThrow(/sequence/);
  });

  it('carries the correlation id of the publishing request into the consumer', async () => {
    await runWithCorrelation('corr-messaging-1', () => publish([{ thingId: 'correlated', sequence: 1 }]));
    const [row] = await eventually(
      () => applied('correlated'),
      (rows) => rows.length === 1,
    );
    expect(row.correlation_id).toBe('corr-messaging-1');
  });

  it('applies a redelivered event once, also after a crash before the offset commit', async () => {
    const event = newCloudEvent({
      type: thingHappened.type,
      version: 1,
      source: 'mallard/test',
      subject: 'twice',
      data: { thingId: 'twice', sequence: 1 },
    });
    const record = toKafkaRecord(event);
    const message = { key: record.key, value: record.value.toString(), headers: record.headers };
    await sendRaw(topic, [message, message]);
    await sendRaw(topic, [message]);
    await publish([{ thingId: 'twice-marker', sequence: 1 }]);
    await eventually(
      () => applied('twice-marker'),
      (rows) => rows.length === 1,
    );
    expect(await applied('twice')).toHaveLength(1);

    // The state after a crash between a handler's commit and the offset commit: the group
    // re-reads events whose effects are already in the database.
    const before = (await applied()).length;
    await consumer.stop();
    await rewindConsumerGroup(consumerGroup, topic);
    consumer = await startTestService(consumerDefinition, { DATABASE_NAME: consumerDatabase, KAFKA_CONSUMER_GROUP: consumerGroup });
    await eventually(
      () => consumedCount(consumer, 'duplicate'),
      (count) => count >= before,
    );
    await publish([{ thingId: 'after-rewind', sequence: 1 }]);
    await eventually(
      () => applied('after-rewind'),
      (rows) => rows.length === 1,
    );
    expect((await applied()).length).toBe(before + 1);
  });

  it('dead-letters what it cannot apply, with the reason, and goes on with the partition', async () => {
    const good = (thingId: string, extra: Partial<ThingHappened> = {}) => {
      const record = toKafkaRecord(
        newCloudEvent({
          type: thingHappened.type,
          version: 1,
          source: 'mallard/test',
          subject: 'poison-key',
          data: { thingId, sequence: 1, ...extra },
        }),
      );
      return { key: 'poison-key', value: record.value.toString(), headers: record.headers };
    };
    const unknown = good('unknown-type');
    unknown.headers = { ...unknown.headers, ce_type: 'test.never-defined' };
    const versioned = (version: 2 | 3, thingId: string) => {
      const record = toKafkaRecord(
        newCloudEvent({
          type: thingHappened.type,
          version,
          source: 'mallard/test',
          subject: 'poison-key',
          data: { thingId, colour: 'teal' },
        }),
      );
      return { key: 'poison-key', value: record.value.toString(), headers: record.headers };
    };
    const invalid = good('invalid');
    invalid.value = JSON.stringify({ thingId: 'invalid', sequence: 'one' });
    const reappliedBefore = await reappliedRuns(consumer, 'handler');
    await sendRaw(topic, [
      { key: 'poison-key', value: 'no envelope at all' },
      { ...good('not-json'), value: '{not json' },
      unknown,
      versioned(2, 'second-version'),
      versioned(3, 'unhandled-version'),
      invalid,
      good('poisoned', { poison: true }),
      good('after-poison'),
    ]);

    await eventually(
      () => applied('after-poison'),
      (rows) => rows.length === 1,
    );
    const dead = await readTopic(deadLetterTopicOf(consumerGroup), 6);
    expect(dead.map((record) => record.headers.dlq_kind).sort()).toEqual([
      'handler-failed',
      'invalid',
      'malformed',
      'malformed',
      'unhandled-version',
      'unknown-type',
    ]);
    // Each version went to its own handler: v2 by the v2 one, v3 (no handler) kept for replay.
    expect(await applied('second-version:teal')).toHaveLength(1);
    expect(byKindOf(dead, 'unhandled-version')[0].headers.dlq_reason).toContain('@v3');
    const byKind = (kind: string) => byKindOf(dead, kind);
    expect(byKind('handler-failed')[0].headers.dlq_reason).toContain('thing poisoned is poisoned');
    expect(byKind('invalid')[0].headers.dlq_reason).toContain('sequence');
    expect(byKind('unknown-type')[0].headers.dlq_reason).toContain('test.never-defined');
    for (const record of dead) {
      expect(record.headers.dlq_source_topic).toBe(topic);
      expect(record.headers.dlq_consumer_group).toBe(consumerGroup);
      expect(record.key).toBe('poison-key');
    }
    expect(await applied('poisoned')).toEqual([]);
    // The poisoned event and the one after it came in one record batch, so in one run: the run
    // failed on the poisoned one's handler and was applied again one event at a time.
    expect(await reappliedRuns(consumer, 'handler')).toBeGreaterThan(reappliedBefore);
    expect(await reappliedRuns(consumer, 'conflict')).toBe(0);
  });

  it('finishes the event in hand and commits its offset when shut down', async () => {
    const [event] = (await publish([{ thingId: 'slow', sequence: 1, slowMs: 1_500 }])) as { id: string }[];
    await eventually(async () => handlerStarts.includes(event.id), Boolean);
    await consumer.stop();
    expect(await applied('slow')).toHaveLength(1);

    const offsets = await committedOffsets(consumerGroup, topic);
    const slowPartitionOffset = offsets.reduce((sum, { offset }) => sum + Math.max(Number(offset), 0), 0);
    consumer = await startTestService(consumerDefinition, { DATABASE_NAME: consumerDatabase, KAFKA_CONSUMER_GROUP: consumerGroup });
    await publish([{ thingId: 'after-restart', sequence: 1 }]);
    await eventually(
      () => applied('after-restart'),
      (rows) => rows.length === 1,
    );
    expect(await applied('slow')).toHaveLength(1);
    // Nothing before the restart was read again: the slow event's offset had been committed.
    expect(await consumedCount(consumer, 'duplicate')).toBe(0);
    expect(slowPartitionOffset).toBeGreaterThan(0);
  });

  it("purges only its own group's inbox rows older than the retention, batch by batch", async () => {
    const oldIds = Array.from({ length: 5 }, (_, index) => `old-${suffix}-${index}`);
    await queryDatabase(
      consumerDatabase,
      `INSERT INTO inbox_message (consumer_group, event_id, event_type, processed_at)
       SELECT $1, id, 'test.thing-happened', now() - interval '10 days' FROM unnest($2::text[]) AS id
       UNION ALL SELECT 'another-group', 'other-old', 'test.thing-happened', now() - interval '10 days'
       UNION ALL SELECT $1, 'recent', 'test.thing-happened', now() - interval '6 days'`,
      [consumerGroup, oldIds],
    );
    const before = await queryDatabase<{ count: string }>(consumerDatabase, 'SELECT count(*) FROM inbox_message');

    const purged = await purgeInbox(consumer.app.get(DataSource), consumerGroup, 8, 2);

    expect(purged).toBe(oldIds.length);
    const left = await queryDatabase<{ event_id: string }>(consumerDatabase, 'SELECT event_id FROM inbox_message');
    expect(left).toHaveLength(Number(before[0].count) - oldIds.length);
    expect(left.map((row) => row.event_id)).toEqual(expect.arrayContaining(['other-old', 'recent']));
    expect(left.map((row) => row.event_id)).not.toEqual(expect.arrayContaining([oldIds[0]]));
  });
});
