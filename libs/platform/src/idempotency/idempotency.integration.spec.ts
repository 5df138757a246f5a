import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, withDatabase } from '../database/ensure-database.js';
import { ProblemException } from '../http/problem-details.js';
import { claimIdempotencyKey, findIdempotencyKey, purgeIdempotencyKeys, recordIdempotentResponse } from './idempotency-store.js';
import type { IdempotentRequest, StoredResponse } from './idempotent-request.js';
import { IdempotentRequests1764060000100 } from './idempotent-requests.migration.js';
import { answerRetry, idempotently } from './idempotently.js';
import { fingerprint } from './request-fingerprint.js';

/** What the tests' "work" makes: one row per run, so a test counts how often the work ran. */
class WidgetTable1764060000200 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE widget (id text PRIMARY KEY, colour text NOT NULL)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE widget');
  }
}

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('DATABASE_URL must be set (test/global-setup.ts does it)');
const databaseName = `test_idempotency_${randomBytes(4).toString('hex')}`;
const dataSource = new DataSource({
  type: 'postgres',
  url: withDatabase(serverUrl, databaseName),
  migrations: [IdempotentRequests1764060000100, WidgetTable1764060000200],
  poolSize: 6,
});

interface WidgetBody {
  colour: string;
}

const problemOfReuse = () =>
  new ProblemException({ status: 422, slug: 'idempotency-key-reused', title: 'Idempotency-Key already used for another request' });

let runs = 0;

/** A "make a widget" request in the shape of the services' flows: the answer is stored with the key. */
function makeWidget(manager: EntityManager, key: string, body: WidgetBody, hooks: { gate?: Promise<void>; fail?: boolean } = {}) {
  const widgetId = `w-${randomBytes(4).toString('hex')}`;
  const request: IdempotentRequest = {
    scope: 'make-widget',
    requester: 'buyer-1',
    key,
    fingerprint: fingerprint(body),
    reference: widgetId,
  };
  return idempotently<StoredResponse>(manager, request, {
    run: async () => {
      runs += 1;
      await manager.query('INSERT INTO widget (id, colour) VALUES ($1, $2)', [widgetId, body.colour]);
      await hooks.gate;
      if (hooks.fail) throw new Error('the work failed after writing');
      return { status: 201, body: { id: widgetId, colour: body.colour } };
    },
    remember: (answer) => answer,
    replay: (first) => first.response!,
    reused: problemOfReuse,
  });
}

const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => dataSource.transaction(work);
const widgets = async (): Promise<number> => (await dataSource.query('SELECT count(*)::int AS n FROM widget'))[0].n;

/** Waits until some session of the test database waits for a lock: the duplicate is queued on the claim. */
async function untilSomeoneWaitsForALock(): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [databaseName],
    );
    if (n > 0) return;
    await sleep(25);
  }
  throw new Error('no session ever waited for the claim');
}

function deferred(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('idempotent requests against PostgreSQL', () => {
  beforeAll(async () => {
    await ensureDatabase(serverUrl, databaseName);
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await dataSource.destroy();
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await client.end();
  });

  it('runs the work for the first request and keeps its answer with the key', async () => {
    const before = runs;
    const answer = await inTransaction((manager) => makeWidget(manager, 'first', { colour: 'red' }));

    expect(answer.status).toBe(201);
    expect(runs).toBe(before + 1);
    const remembered = await findIdempotencyKey(dataSource, { scope: 'make-widget', requester: 'buyer-1', key: 'first' });
    expect(remembered).toMatchObject({
      fingerprint: fingerprint({ colour: 'red' }),
      reference: (answer.body as { id: string }).id,
      response: answer,
    });
    expect(remembered!.createdAt).toBeInstanceOf(Date);
  });

  it('answers a retry with the same body with the first answer, without running the work again', async () => {
    const first = await inTransaction((manager) => makeWidget(manager, 'retry', { colour: 'blue' }));
    const [before, widgetsBefore] = [runs, await widgets()];

    const again = await inTransaction((manager) => makeWidget(manager, 'retry', { colour: 'blue' }));

    expect(again).toEqual(first);
    expect(runs).toBe(before);
    expect(await widgets()).toBe(widgetsBefore);
  });

  it('refuses the key reused with another body with the caller’s 422 problem, and leaves the first answer alone', async () => {
    const first = await inTransaction((manager) => makeWidget(manager, 'reused', { colour: 'green' }));
    const before = runs;

    const refusal = await inTransaction((manager) => makeWidget(manager, 'reused', { colour: 'purple' })).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ProblemException);
    expect((refusal as ProblemException).getStatus()).toBe(422);
    expect((refusal as ProblemException).slug).toBe('idempotency-key-reused');
    expect(runs).toBe(before);
    expect(await inTransaction((manager) => makeWidget(manager, 'reused', { colour: 'green' }))).toEqual(first);
  });

  it('runs the work once for two concurrent first requests with one key, and gives both the same answer', async () => {
    const before = runs;
    const widgetsBefore = await widgets();
    const gate = deferred();

    const both = Promise.all([
      inTransaction((manager) => makeWidget(manager, 'race', { colour: 'amber' }, { gate: gate.promise })),
      inTransaction((manager) => makeWidget(manager, 'race', { colour: 'amber' }, { gate: gate.promise })),
    ]);
    // One runs the work and holds its transaction open; the other must be queued on the claim.
    await untilSomeoneWaitsForALock();
    expect(runs).toBe(before + 1);
    gate.open();
    const [a, b] = await both;

    expect(a).toEqual(b);
    expect(runs).toBe(before + 1);
    expect(await widgets()).toBe(widgetsBefore + 1);
  });

  it('leaves the key free when the first attempt fails and rolls back', async () => {
    const widgetsBefore = await widgets();
    await expect(inTransaction((manager) => makeWidget(manager, 'fails', { colour: 'grey' }, { fail: true }))).rejects.toThrow(
      'the work failed after writing',
    );
    expect(await findIdempotencyKey(dataSource, { scope: 'make-widget', requester: 'buyer-1', key: 'fails' })).toBeNull();
    expect(await widgets()).toBe(widgetsBefore);

    const before = runs;
    const retried = await inTransaction((manager) => makeWidget(manager, 'fails', { colour: 'grey' }));
    expect(retried.status).toBe(201);
    expect(runs).toBe(before + 1);
    expect(await widgets()).toBe(widgetsBefore + 1);
  });

  it('lets a duplicate that waited on a first attempt that then failed claim the key and run the work', async () => {
    const before = runs;
    const gate = deferred();
    const failing = inTransaction((manager) =>
      makeWidget(manager, 'fails-in-race', { colour: 'teal' }, { gate: gate.promise, fail: true }),
    );
    await sleep(50);
    const waiting = inTransaction((manager) => makeWidget(manager, 'fails-in-race', { colour: 'teal' }));
    await untilSomeoneWaitsForALock();
    gate.open();

    await expect(failing).rejects.toThrow('the work failed after writing');
    const answer = await waiting;
    expect(answer.status).toBe(201);
    expect(runs).toBe(before + 2);
    expect((await findIdempotencyKey(dataSource, { scope: 'make-widget', requester: 'buyer-1', key: 'fails-in-race' }))!.response).toEqual(
      answer,
    );
  });

  it('keeps the keys of two requesters (or two scopes) apart even when they spell them alike', async () => {
    const body = { colour: 'red' };
    const claim = (scope: string, requester: string) =>
      inTransaction((manager) => claimIdempotencyKey(manager, { scope, requester, key: 'same', fingerprint: fingerprint(body) }));

    expect(await claim('make-widget', 'buyer-2')).toEqual({ claimed: true });
    expect(await claim('make-widget', 'buyer-3')).toEqual({ claimed: true });
    expect(await claim('paint-widget', 'buyer-2')).toEqual({ claimed: true });
    expect(await claim('make-widget', 'buyer-2')).toMatchObject({ claimed: false, first: { requester: 'buyer-2' } });
  });

  it('replays through the reference when the answer is the resource as it is now', async () => {
    const request = { scope: 'place-widget', requester: 'buyer-1', key: 'state', fingerprint: fingerprint({ colour: 'red' }) };
    const work = (manager: EntityManager) =>
      idempotently(
        manager,
        { ...request, reference: 'w-state' },
        {
          run: async () => {
            await manager.query(`INSERT INTO widget (id, colour) VALUES ('w-state', 'red')`);
            return { created: true, colour: 'red' };
          },
          replay: async (first) => {
            const [widget] = await manager.query('SELECT colour FROM widget WHERE id = $1', [first.reference]);
            return { created: false, colour: widget.colour as string };
          },
          reused: problemOfReuse,
        },
      );
    expect(await inTransaction(work)).toEqual({ created: true, colour: 'red' });
    await dataSource.query(`UPDATE widget SET colour = 'repainted' WHERE id = 'w-state'`);

    expect(await inTransaction(work)).toEqual({ created: false, colour: 'repainted' });
    // No answer is stored for a scope that replays the resource.
    expect((await findIdempotencyKey(dataSource, request))!.response).toBeNull();
  });

  it('answers a look before any transaction, and keeps an answer recorded after the claim committed', async () => {
    const request = { scope: 'pay-widget', requester: 'buyer-1', key: 'two-steps', fingerprint: 'f-pay', reference: 'p-1' };
    await inTransaction((manager) => claimIdempotencyKey(manager, request));
    // Step two (a provider's answer) comes after the claim's transaction committed.
    await recordIdempotentResponse(dataSource, request, { status: 201, body: { paymentId: 'p-1', clientAction: { url: 'https://pay' } } });

    const first = (await findIdempotencyKey(dataSource, request))!;
    const answers = { replay: (remembered: typeof first) => remembered.response, reused: problemOfReuse };
    expect(await answerRetry(first, 'f-pay', answers)).toEqual({
      status: 201,
      body: { paymentId: 'p-1', clientAction: { url: 'https://pay' } },
    });
    await expect(answerRetry(first, 'f-other', answers)).rejects.toBeInstanceOf(ProblemException);
  });

  it('replays every retry of a scope that does not compare bodies', async () => {
    const notification = (fingerprintOfBody: string | null) =>
      inTransaction((manager) =>
        idempotently(
          manager,
          { scope: 'provider-event', requester: 'stripe', key: 'evt_1', fingerprint: fingerprintOfBody },
          { run: async () => 'APPLIED', replay: () => 'DUPLICATE', reused: problemOfReuse },
        ),
      );
    expect(await notification(null)).toBe('APPLIED');
    expect(await notification(null)).toBe('DUPLICATE');
  });

  it('refuses to claim outside a transaction, where a failed attempt would keep the key', async () => {
    await expect(
      claimIdempotencyKey(dataSource.manager, { scope: 'make-widget', requester: 'buyer-1', key: 'no-tx', fingerprint: 'f' }),
    ).rejects.toThrow(/transaction/);
    expect(await findIdempotencyKey(dataSource, { scope: 'make-widget', requester: 'buyer-1', key: 'no-tx' })).toBeNull();
  });

  it('purges one scope’s keys older than its retention, in batches, and nothing else', async () => {
    const insert = (scope: string, key: string, hoursAgo: number) =>
      dataSource.query(
        `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, created_at)
         VALUES ($1, 'buyer-purge', $2, 'f', now() - make_interval(hours => $3))`,
        [scope, key, hoursAgo],
      );
    for (const key of ['old-1', 'old-2', 'old-3', 'old-4', 'old-5']) await insert('purge-me', key, 49);
    await insert('purge-me', 'recent', 47);
    await insert('keep-forever', 'ancient', 24 * 400);

    const purged = await purgeIdempotencyKeys(dataSource, { scope: 'purge-me', retentionHours: 48, batchSize: 2 });

    expect(purged).toBe(5);
    const left: { scope: string; request_key: string }[] = await dataSource.query(
      `SELECT scope, request_key FROM idempotent_request WHERE requester = 'buyer-purge' ORDER BY scope, request_key`,
    );
    expect(left).toEqual([
      { scope: 'keep-forever', request_key: 'ancient' },
      { scope: 'purge-me', request_key: 'recent' },
    ]);
  });

  it('stops purging between batches when asked to', async () => {
    for (const key of ['a', 'b', 'c', 'd']) {
      await dataSource.query(
        `INSERT INTO idempotent_request (scope, requester, request_key, created_at) VALUES ('stop-me', 'buyer-purge', $1, now() - interval '3 days')`,
        [key],
      );
    }
    expect(await purgeIdempotencyKeys(dataSource, { scope: 'stop-me', retentionHours: 48, batchSize: 1, stop: () => true })).toBe(1);
  });
});
