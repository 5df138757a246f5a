import { Test } from '@nestjs/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceConfig } from '../config/service-config.js';
import { DatabaseModule } from './database.module.js';
import { isStalePreparedStatement, preparingClient } from './prepared-statements.js';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('DATABASE_URL must be set (test/global-setup.ts does it)');

type Prepared = { name: string; statement: string; executions: number };
const preparedOn = async (client: pg.ClientBase): Promise<Prepared[]> =>
  (
    await client.query<Prepared>(
      'SELECT name, statement, (generic_plans + custom_plans)::int AS executions FROM pg_prepared_statements ORDER BY statement',
    )
  ).rows;

describe('prepared statements per connection, on real PostgreSQL', () => {
  const table = `prepared_${process.pid}`;

  /** A fresh connection whose client names at most two statements. */
  const withClient = async (use: (client: pg.Client) => Promise<void>) => {
    const client = new (preparingClient(2))({ connectionString: serverUrl });
    await client.connect();
    try {
      await use(client);
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  };

  const NAME = /^mallard_[0-9a-f]{20}_\d+$/;

  it('prepares a parameterised statement on its second call and runs it by name after that', () =>
    withClient(async (client) => {
      for (const n of [1, 2, 3]) expect((await client.query('SELECT $1::int * 2 AS doubled', [n])).rows).toEqual([{ doubled: n * 2 }]);
      // No parameters: the simple protocol, as before, and nothing prepared for it.
      await client.query('SELECT 1');
      expect(await preparedOn(client)).toEqual([
        { name: expect.stringMatching(NAME), statement: 'SELECT $1::int * 2 AS doubled', executions: 2 },
      ]);
    }));

  it('prepares through the callback form too', () =>
    withClient(async (client) => {
      const viaCallback = () =>
        new Promise<unknown>((resolve, reject) =>
          client.query('SELECT $1::text AS echoed', ['cb'], (error: Error, result: pg.QueryResult) =>
            error ? reject(error) : resolve(result.rows),
          ),
        );
      expect(await viaCallback()).toEqual([{ echoed: 'cb' }]);
      expect(await viaCallback()).toEqual([{ echoed: 'cb' }]);
      expect((await preparedOn(client)).map((row) => row.statement)).toEqual(['SELECT $1::text AS echoed']);
    }));

  it('names no more statements than its limit and runs the rest unnamed', () =>
    withClient(async (client) => {
      const texts = ['SELECT $1::int + 1 AS n', 'SELECT $1::int + 2 AS n', 'SELECT $1::int + 3 AS n'];
      for (const text of [...texts, ...texts]) await client.query(text, [10]);
      expect((await client.query(texts[2], [10])).rows).toEqual([{ n: 13 }]);
      expect((await preparedOn(client)).map((row) => row.statement)).toEqual(texts.slice(0, 2));
    }));

  it('prepares a statement again after a migration changed what it returns, and marks the one failure for a retry', () =>
    withClient(async (client) => {
      await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
      await client.query(`INSERT INTO ${table} VALUES (1)`);
      const select = `SELECT * FROM ${table} WHERE id = $1`;
      for (let call = 0; call < 2; call += 1) expect((await client.query(select, [1])).rows).toEqual([{ id: 1 }]);
      await client.query(`ALTER TABLE ${table} ADD COLUMN note text DEFAULT 'added'`);
      const failure = await client.query(select, [1]).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: '0A000' });
      expect(isStalePreparedStatement(failure)).toBe(true);
      // As TypeORM wraps it (QueryFailedError keeps the driver's error).
      expect(isStalePreparedStatement({ driverError: failure })).toBe(true);
      for (let call = 0; call < 3; call += 1) expect((await client.query(select, [1])).rows).toEqual([{ id: 1, note: 'added' }]);
      const named = (await preparedOn(client)).filter((row) => row.statement === select);
      expect(named).toHaveLength(2); // the stale one, left to the connection's end, and its successor
      expect(named.map((row) => row.executions).sort()).toEqual([1, 2]);
    }));

  it('prepares a statement again when the server no longer has it', () =>
    withClient(async (client) => {
      const text = 'SELECT $1::int - 1 AS n';
      for (let call = 0; call < 2; call += 1) expect((await client.query(text, [5])).rows).toEqual([{ n: 4 }]);
      await client.query('DEALLOCATE ALL');
      const failure = await client.query(text, [5]).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: '26000' });
      expect(isStalePreparedStatement(failure)).toBe(true);
      for (let call = 0; call < 2; call += 1) expect((await client.query(text, [5])).rows).toEqual([{ n: 4 }]);
      expect((await preparedOn(client)).map((row) => row.statement)).toEqual([text]);
    }));

  it('keeps a statement usable after a value node-postgres could not serialise, and does not mark that error for a retry', () =>
    withClient(async (client) => {
      const text = 'SELECT $1::text AS v';
      for (let call = 0; call < 2; call += 1) expect((await client.query(text, ['a'])).rows).toEqual([{ v: 'a' }]);
      const unserialisable = {
        toPostgres: () => {
          throw new Error('cannot serialise');
        },
      };
      const failure = await client.query(text, [unserialisable]).catch((error: unknown) => error);
      expect(failure).toMatchObject({ message: 'cannot serialise' });
      expect(isStalePreparedStatement(failure)).toBe(false);
      for (let call = 0; call < 3; call += 1) expect((await client.query(text, ['b'])).rows).toEqual([{ v: 'b' }]);
    }));
});

describe('DatabaseModule', () => {
  const config = (prepared: number) =>
    ({
      DATABASE_URL: serverUrl,
      DATABASE_NAME: `mallard_prepared_${process.pid}`,
      DATABASE_POOL_SIZE: 2,
      DATABASE_STATEMENT_TIMEOUT_MS: 15_000,
      DATABASE_PREPARED_STATEMENTS: prepared,
    }) as ServiceConfig;

  const statementsAfterOneQuery = async (prepared: number) => {
    const moduleRef = await Test.createTestingModule({
      imports: [DatabaseModule.forService(config(prepared), { entities: [], migrations: [] })],
    }).compile();
    const runner = moduleRef.get(DataSource).createQueryRunner();
    try {
      for (let call = 0; call < 2; call += 1) await runner.query('SELECT $1::text AS echoed', ['x']);
      return (await runner.query('SELECT statement FROM pg_prepared_statements')) as { statement: string }[];
    } finally {
      await runner.release();
      await moduleRef.close();
    }
  };

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS mallard_prepared_${process.pid} WITH (FORCE)`);
    await admin.end();
  });

  it('prepares the service pool’s statements by DATABASE_PREPARED_STATEMENTS, and none with 0', async () => {
    expect(await statementsAfterOneQuery(200)).toEqual([{ statement: 'SELECT $1::text AS echoed' }]);
    expect(await statementsAfterOneQuery(0)).toEqual([]);
  });
});
