/**
 * The dead-letter desk on the gateway's staff routes, over the real broker: the real gateway
 * dead-letters an invalid orders event as any consumer would, a test consumer dead-letters an
 * event its handler cannot apply yet; an admin lists them, replays one once the handler is fixed
 * (applied once), is refused a second replay without force, discards the other, and the listing
 * says who did what and why. Every answer is checked against docs/openapi.json.
 */
import { defineEvent, EventRegistry, orderPlaced } from '@mallard/contracts';
import { defineEventDrivenService, type EventContext, OnEvent } from '@mallard/messaging';
import { dropDatabase, eventually, queryDatabase, sendEvent, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import { Controller, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens, type Role } from '../apps/gateway/src/auth/index.js';
import { DEV_JWT_SECRET } from '../apps/gateway/src/auth/jwt-secret.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { fetchInContract } from './api-contract.js';

const run = uniqueSuffix();
const topic = `mallard.test.labels.${run}`;
const printerGroup = `test-dlq-printer-${run}`;
const gatewayGroup = `gateway-dlq-${run}`;

class LabelPrinted {
  @IsString() labelId: string;
}
const labelPrinted = defineEvent({ type: 'test.label-printed', version: 1, topic, payload: LabelPrinted, description: 'dlq routes suite' });

/** The printer's handler fails on these labels until the test "deploys the fix". */
const broken = new Set<string>();

@Controller()
class PrinterHandler {
  @OnEvent(labelPrinted)
  async onPrinted(@Payload() data: LabelPrinted, @Ctx() context: EventContext): Promise<void> {
    if (broken.has(data.labelId)) throw new Error(`printer jammed on ${data.labelId}`);
    await context.manager.query('INSERT INTO printed_label (event_id, label_id) VALUES ($1, $2)', [context.event.id, data.labelId]);
  }
}

class PrintedLabelTable1764060000003 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE printed_label (id bigserial PRIMARY KEY, event_id text NOT NULL, label_id text NOT NULL)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE printed_label');
  }
}

@Module({ controllers: [PrinterHandler] })
class PrinterModule {}

const printerService = defineEventDrivenService({
  name: printerGroup,
  features: [PrinterModule],
  consumes: [topic],
  registry: new EventRegistry([labelPrinted]),
  partitions: 1,
  migrations: [PrintedLabelTable1764060000003],
  consumer: { retryBackoffMs: 20, handlerAttempts: 2 },
});

const tokens = new AccessTokens({ secret: DEV_JWT_SECRET, issuer: 'mallard' });
const bearer = (sub: string, role: Role) => `Bearer ${tokens.sign({ sub, roles: [role], ttlSeconds: 600 })}`;
const ADMIN = bearer(`ops-${run}`, 'admin');

interface Letter {
  id: string;
  kind: string;
  eventId: string | null;
  status: string;
  history: { action: string; by: string; why: string; forced: boolean }[];
}

describe('dead letters on the staff routes', () => {
  let gateway: TestService;
  let printer: TestService;

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, authorization = ADMIN) => {
    const response = await fetchInContract(`${gateway.url}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const printed = (labelId: string) =>
    queryDatabase<{ event_id: string }>(printer.databaseName, 'SELECT event_id FROM printed_label WHERE label_id = $1', [labelId]);
  const letters = async (group: string, status?: string): Promise<Letter[]> =>
    (await call('GET', `/api/v1/admin/dead-letters/${group}${status ? `?status=${status}` : ''}`)).body;

  beforeAll(async () => {
    [gateway, printer] = await Promise.all([
      startTestService(gatewayService, { KAFKA_CONSUMER_GROUP: gatewayGroup, RATE_LIMIT_PER_MINUTE: '0' }),
      startTestService(printerService, { KAFKA_CONSUMER_GROUP: printerGroup }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), printer?.stop()]);
    await Promise.all([gateway && dropDatabase(gateway.databaseName), printer && dropDatabase(printer.databaseName)]);
  });

  it('lists what the gateway and another consumer dead-lettered, only for admins', async () => {
    broken.add('jammed');
    const jammedEventId = await sendEvent(labelPrinted, 'jammed', { labelId: 'jammed' });
    // An order.placed without its payload: the gateway's read model cannot apply it.
    const invalidEventId = await sendEvent(orderPlaced, `order-${run}`, {} as never);

    const [jammed] = await eventually(
      () => letters(printerGroup).catch(() => []),
      (found) => found.length === 1,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(jammed).toMatchObject({ eventId: jammedEventId, kind: 'handler-failed', status: 'PENDING', history: [] });
    const [invalid] = await eventually(
      () => letters(gatewayGroup).catch(() => []),
      (found) => found.length === 1,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(invalid).toMatchObject({ eventId: invalidEventId, kind: 'invalid', status: 'PENDING' });

    const groups = await call('GET', '/api/v1/admin/dead-letters');
    expect(groups.status).toBe(200);
    expect(groups.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ consumerGroup: printerGroup, total: 1, pending: 1 }),
        expect.objectContaining({ consumerGroup: gatewayGroup, total: 1, pending: 1 }),
      ]),
    );

    const shown = await call('GET', `/api/v1/admin/dead-letters/${printerGroup}/${jammed.id}`);
    expect(shown.status).toBe(200);
    expect(JSON.parse(shown.body.body)).toEqual({ labelId: 'jammed' });
    expect(shown.body.headers).toMatchObject({ ce_id: jammedEventId, dlq_reason: expect.stringContaining('printer jammed on jammed') });

    const noGroup = await call('GET', `/api/v1/admin/dead-letters/nobody-${run}`);
    expect(noGroup).toMatchObject({ status: 404, body: { type: 'https://mallard.dev/problems/dead-letter-group-not-found' } });
    const noLetter = await call('GET', `/api/v1/admin/dead-letters/${printerGroup}/4242`);
    expect(noLetter).toMatchObject({ status: 404, body: { type: 'https://mallard.dev/problems/dead-letter-not-found', id: '4242' } });
    const shopper = await call('GET', '/api/v1/admin/dead-letters', undefined, bearer('alice', 'shopper'));
    expect(shopper.status).toBe(403);
    const noWhy = await call('POST', `/api/v1/admin/dead-letters/${printerGroup}/${jammed.id}/replay`, { why: '  ' });
    expect(noWhy).toMatchObject({ status: 400, body: { type: 'https://mallard.dev/problems/validation-failed' } });
  });

  it('replays a fixed letter once, refuses a second replay without force, and records who and why', async () => {
    const [jammed] = await letters(printerGroup);
    broken.delete('jammed');
    const replay = await call('POST', `/api/v1/admin/dead-letters/${printerGroup}/${jammed.id}/replay`, { why: 'new printer driver' });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      status: 'REPLAYED',
      history: [{ action: 'replay', by: `ops-${run}`, why: 'new printer driver', forced: false }],
    });
    const rows = await eventually(
      () => printed('jammed'),
      (found) => found.length === 1,
    );
    expect(rows[0].event_id).toBe(jammed.eventId);

    const again = await call('POST', `/api/v1/admin/dead-letters/${printerGroup}/${jammed.id}/replay`, { why: 'once more' });
    expect(again).toMatchObject({
      status: 409,
      body: { type: 'https://mallard.dev/problems/dead-letter-already-handled', letterStatus: 'REPLAYED', consumerGroup: printerGroup },
    });
    const forced = await call('POST', `/api/v1/admin/dead-letters/${printerGroup}/${jammed.id}/replay`, {
      why: 'checking the inbox',
      force: true,
    });
    expect(forced.status).toBe(200);
    expect(forced.body.history).toHaveLength(2);
    // Sent twice, applied once: the printer's inbox recognised the event id.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await printed('jammed')).toHaveLength(1);

    const [invalid] = await letters(gatewayGroup);
    const discard = await call('POST', `/api/v1/admin/dead-letters/${gatewayGroup}/${invalid.id}/discard`, {
      why: 'test order without a payload',
    });
    expect(discard).toMatchObject({ status: 200, body: { status: 'DISCARDED' } });

    expect(await letters(gatewayGroup, 'PENDING')).toEqual([]);
    expect(await letters(gatewayGroup, 'DISCARDED')).toMatchObject([
      { id: invalid.id, history: [{ action: 'discard', by: `ops-${run}`, why: 'test order without a payload' }] },
    ]);
    expect(await letters(printerGroup)).toMatchObject([
      {
        id: jammed.id,
        status: 'REPLAYED',
        history: [
          { action: 'replay', why: 'new printer driver', forced: false },
          { action: 'replay', why: 'checking the inbox', forced: true },
        ],
      },
    ]);
  });
});
