import { defineEvent, EventRegistry } from '@mallard/contracts';
import {
  dropDatabase,
  eventually,
  infrastructure,
  queryDatabase,
  sendEvent,
  startTestService,
  TEST_TOPIC_PREFIX,
  type TestService,
  uniqueSuffix,
} from '@mallard/testing';
import { Controller, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import { pino } from 'pino';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaJsBroker } from '../broker/kafkajs-broker.js';
import type { EventContext } from '../consumer/event-context.js';
import { OnEvent } from '../consumer/on-event.js';
import { defineEventDrivenService } from '../event-driven-service.js';
import type { DeadLetter } from './dead-letter.js';
import { DeadLetterActionRefused, DeadLetterDesk, DeadLetterGroupNotFound, DeadLetterNotFound } from './dead-letter-desk.js';
import { EXIT, runDlqCli } from './dlq.cli.js';

const suffix = uniqueSuffix();
const topic = `mallard.test.parcels.${suffix}`;
const fixableGroup = `test-dlq-fixable-${suffix}`;
const bystanderGroup = `test-dlq-bystander-${suffix}`;

class ParcelWeighed {
  @IsString() parcelId: string;
}
const parcelWeighed = defineEvent({ type: 'test.parcel-weighed', version: 1, topic, payload: ParcelWeighed, description: 'dlq suite' });
const registry = new EventRegistry([parcelWeighed]);

/** The fixable group's handler fails on these parcels until a test "deploys the fix". */
const broken = new Set<string>();

const apply = (data: ParcelWeighed, context: EventContext) =>
  context.manager.query('INSERT INTO applied_parcel (event_id, parcel_id) VALUES ($1, $2)', [context.event.id, data.parcelId]);

@Controller()
class FixableHandler {
  @OnEvent(parcelWeighed)
  async onWeighed(@Payload() data: ParcelWeighed, @Ctx() context: EventContext): Promise<void> {
    if (broken.has(data.parcelId)) throw new Error(`cannot weigh ${data.parcelId} yet`);
    await apply(data, context);
  }
}

@Controller()
class BystanderHandler {
  @OnEvent(parcelWeighed)
  async onWeighed(@Payload() data: ParcelWeighed, @Ctx() context: EventContext): Promise<void> {
    await apply(data, context);
  }
}

class AppliedParcelTable1764060000002 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE applied_parcel (id bigserial PRIMARY KEY, event_id text NOT NULL, parcel_id text NOT NULL)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE applied_parcel');
  }
}

@Module({ controllers: [FixableHandler] })
class FixableModule {}
@Module({ controllers: [BystanderHandler] })
class BystanderModule {}

const definitionOf = (name: string, feature: typeof FixableModule) =>
  defineEventDrivenService({
    name,
    features: [feature],
    consumes: [topic],
    registry,
    partitions: 2,
    migrations: [AppliedParcelTable1764060000002],
    consumer: { retryBackoffMs: 20, handlerAttempts: 2 },
  });

describe('the dead-letter desk over real Kafka and PostgreSQL', () => {
  let fixable: TestService;
  let bystander: TestService;
  const broker = new KafkaJsBroker({
    clientId: 'mallard-dlq-test',
    brokers: infrastructure().kafkaBrokers.split(','),
    logger: pino({ level: 'error' }),
    topicPrefix: TEST_TOPIC_PREFIX,
  });
  const desk = new DeadLetterDesk(broker);
  const env = { KAFKA_BROKERS: infrastructure().kafkaBrokers, KAFKA_TOPIC_PREFIX: TEST_TOPIC_PREFIX };
  const cli = async (argv: string[]) => {
    const lines: string[] = [];
    const code = await runDlqCli(
      argv,
      env,
      (line) => lines.push(line),
      (line) => lines.push(line),
    );
    return { code, output: lines.join('\n') };
  };
  const applied = (service: TestService, parcelId: string) =>
    queryDatabase<{ event_id: string }>(service.databaseName, 'SELECT event_id FROM applied_parcel WHERE parcel_id = $1', [parcelId]);
  const duplicates = async (service: TestService): Promise<number> => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('events_consumed_total{') && line.includes('outcome="duplicate"'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  };
  let needsFix: DeadLetter;
  let hopeless: DeadLetter;
  let needsFixEventId: string;

  beforeAll(async () => {
    [fixable, bystander] = await Promise.all([
      startTestService(definitionOf(fixableGroup, FixableModule), { KAFKA_CONSUMER_GROUP: fixableGroup }),
      startTestService(definitionOf(bystanderGroup, BystanderModule), { KAFKA_CONSUMER_GROUP: bystanderGroup }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([fixable?.stop(), bystander?.stop()]);
    await broker.close();
    await Promise.all([fixable && dropDatabase(fixable.databaseName), bystander && dropDatabase(bystander.databaseName)]);
  });

  it('lists what a consumer dead-lettered, with where it came from and why', async () => {
    broken.add('needs-fix').add('hopeless');
    needsFixEventId = await sendEvent(parcelWeighed, 'needs-fix', { parcelId: 'needs-fix' });
    const hopelessEventId = await sendEvent(parcelWeighed, 'hopeless', { parcelId: 'hopeless' });
    const letters = await eventually(
      () => desk.list(fixableGroup),
      (list) => list.length === 2,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    needsFix = letters.find((letter) => letter.eventId === needsFixEventId) as DeadLetter;
    hopeless = letters.find((letter) => letter.eventId === hopelessEventId) as DeadLetter;
    expect(needsFix).toMatchObject({
      consumerGroup: fixableGroup,
      kind: 'handler-failed',
      reason: expect.stringContaining('cannot weigh needs-fix yet'),
      eventType: parcelWeighed.type,
      key: 'needs-fix',
      sourceTopic: topic,
      status: 'PENDING',
      history: [],
    });
    expect(needsFix.sourcePartition).toBeTypeOf('number');
    expect(needsFix.failedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(hopeless.status).toBe('PENDING');
    expect(await applied(fixable, 'needs-fix')).toEqual([]);
    await eventually(
      () => applied(bystander, 'needs-fix'),
      (rows) => rows.length === 1,
    );

    const groups = await desk.groups();
    expect(groups.find((group) => group.consumerGroup === fixableGroup)).toMatchObject({ total: 2, pending: 2, replayed: 0, discarded: 0 });
    expect(groups.find((group) => group.consumerGroup === bystanderGroup)).toMatchObject({ total: 0 });

    const shown = await desk.show(fixableGroup, needsFix.id);
    expect(JSON.parse(shown.body)).toEqual({ parcelId: 'needs-fix' });
    expect(shown.headers).toMatchObject({ ce_id: needsFixEventId, dlq_kind: 'handler-failed', dlq_consumer_group: fixableGroup });

    await expect(desk.list(`no-such-group-${suffix}`)).rejects.toBeInstanceOf(DeadLetterGroupNotFound);
    await expect(desk.show(fixableGroup, '999')).rejects.toBeInstanceOf(DeadLetterNotFound);
    await expect(desk.show(fixableGroup, 'one')).rejects.toBeInstanceOf(DeadLetterNotFound);
  });

  it('replays a letter through the normal consumer path once it can be applied, and every inbox keeps it once', async () => {
    // What the fix deployed would do: the handler now accepts the event.
    broken.delete('needs-fix');
    await expect(desk.replay(fixableGroup, needsFix.id, { by: 'ana', why: '' })).rejects.toMatchObject({ code: 'input' });
    const bystanderDuplicates = await duplicates(bystander);
    const replayed = await desk.replay(fixableGroup, needsFix.id, { by: 'ana', why: 'weighing fixed in 1.4.2' });
    expect(replayed).toMatchObject({
      status: 'REPLAYED',
      history: [{ action: 'replay', by: 'ana', why: 'weighing fixed in 1.4.2', forced: false }],
    });

    const rows = await eventually(
      () => applied(fixable, 'needs-fix'),
      (found) => found.length === 1,
    );
    expect(rows[0].event_id).toBe(needsFixEventId);
    // The bystander had applied it the first time: the replay reached it, and its inbox skipped it.
    await eventually(
      () => duplicates(bystander),
      (count) => count > bystanderDuplicates,
    );
    expect(await applied(bystander, 'needs-fix')).toHaveLength(1);

    const again = desk.replay(fixableGroup, needsFix.id, { by: 'bo', why: 'did it work?' });
    await expect(again).rejects.toBeInstanceOf(DeadLetterActionRefused);
    await expect(again).rejects.toMatchObject({ code: 'already-handled', status: 'REPLAYED' });
    expect((await cli(['replay', fixableGroup, needsFix.id, '--by', 'bo', '--why', 'did it work?'])).code).toBe(EXIT.refused);
    expect(await applied(fixable, 'needs-fix')).toHaveLength(1);
  });

  it('discards a letter, and the listing says who did what and why', async () => {
    // Nine days on, the bystander may have purged the inbox row that would make a replay a no-op.
    const later = new DeadLetterDesk(broker, { inboxRetentionDays: 8 }, () => new Date(Date.now() + 9 * 86_400_000));
    await expect(later.replay(fixableGroup, hopeless.id, { by: 'carla', why: 'late' })).rejects.toMatchObject({
      code: 'beyond-inbox-retention',
    });
    // A zero in front names the same letter, and its one history.
    const discard = await cli([
      'discard',
      fixableGroup,
      `0${hopeless.id}`,
      '--by',
      'carla',
      '--why',
      'parcel was cancelled, nothing to weigh',
    ]);
    expect(discard).toMatchObject({
      code: EXIT.done,
      output: expect.stringContaining(`discarded ${fixableGroup} dead letter ${hopeless.id}`),
    });
    expect(await applied(fixable, 'hopeless')).toEqual([]);

    const letters = await desk.list(fixableGroup);
    expect(letters.find((letter) => letter.id === needsFix.id)).toMatchObject({
      status: 'REPLAYED',
      history: [{ action: 'replay', by: 'ana', why: 'weighing fixed in 1.4.2' }],
    });
    expect(letters.find((letter) => letter.id === hopeless.id)).toMatchObject({
      status: 'DISCARDED',
      history: [{ action: 'discard', by: 'carla', why: 'parcel was cancelled, nothing to weigh', at: expect.any(String) }],
    });
    expect(await desk.list(fixableGroup, 'PENDING')).toEqual([]);
    expect((await desk.list(fixableGroup, 'DISCARDED')).map((letter) => letter.id)).toEqual([hopeless.id]);
    expect((await desk.groups()).find((group) => group.consumerGroup === fixableGroup)).toMatchObject({
      total: 2,
      pending: 0,
      replayed: 1,
      discarded: 1,
    });

    const listed = await cli(['list', fixableGroup, '--status', 'REPLAYED']);
    expect(listed.code).toBe(EXIT.done);
    expect(listed.output).toContain('replay by ana: weighing fixed in 1.4.2');
    expect(listed.output).not.toContain('carla');
    expect((await cli(['show', fixableGroup, '12345'])).code).toBe(EXIT.notFound);

    // On purpose, a second replay goes through and is recorded as forced.
    const forced = await desk.replay(fixableGroup, needsFix.id, { by: 'bo', why: 'checking the inbox', force: true });
    expect(forced.history.map((entry) => [entry.by, entry.forced])).toEqual([
      ['ana', false],
      ['bo', true],
    ]);
  });
});
