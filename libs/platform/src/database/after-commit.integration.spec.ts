import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterCommit, registerAfterCommit } from './after-commit.js';
import { ensureDatabase, withDatabase } from './ensure-database.js';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('DATABASE_URL must be set (test/global-setup.ts does it)');
const databaseName = `test_after_commit_${randomBytes(4).toString('hex')}`;
const options = { type: 'postgres' as const, url: withDatabase(serverUrl, databaseName), poolSize: 2 };
const dataSource = new DataSource(options);

describe('afterCommit on real PostgreSQL', () => {
  beforeAll(async () => {
    await ensureDatabase(serverUrl, databaseName);
    await dataSource.initialize();
    registerAfterCommit(dataSource);
    // Twice is once: a second registration adds no second subscriber.
    registerAfterCommit(dataSource);
    await dataSource.query('CREATE TABLE tally (id text PRIMARY KEY)');
  });

  afterAll(async () => {
    await dataSource.destroy();
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await client.end();
  });

  const committed = async (id: string) => (await dataSource.query('SELECT 1 FROM tally WHERE id = $1', [id])).length === 1;

  it('runs the callback once the transaction has committed, not before', async () => {
    const seen: boolean[] = [];
    await dataSource.transaction(async (manager) => {
      await manager.query("INSERT INTO tally VALUES ('committed')");
      afterCommit(manager, () => void committed('committed').then((found) => seen.push(found)));
      afterCommit(manager, () => seen.push(true));
      expect(seen).toEqual([]);
    });
    await expect.poll(() => seen.length).toBe(2);
    // By the time it ran, another connection saw the row.
    expect(seen).toEqual([true, true]);
    expect(dataSource.subscribers.length).toBe(1);
  });

  it('never runs it when the transaction rolls back, and a second try that commits runs its own once', async () => {
    let runs = 0;
    const attempt = (fail: boolean) =>
      dataSource.transaction(async (manager) => {
        await manager.query("INSERT INTO tally VALUES ('retried')");
        afterCommit(manager, () => {
          runs += 1;
        });
        if (fail) throw new Error('rolled back');
      });
    await expect(attempt(true)).rejects.toThrow('rolled back');
    expect(runs).toBe(0);
    expect(await committed('retried')).toBe(false);
    await attempt(false);
    expect(runs).toBe(1);
  });

  it('drops what a savepoint rolled back asked for, and keeps what a released one asked for until the commit around it', async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      afterCommit(manager, () => ran.push('outer'));
      await manager.transaction(async (inner) => {
        afterCommit(inner, () => ran.push('released'));
      });
      await expect(
        manager.transaction(async (inner) => {
          afterCommit(inner, () => ran.push('rolled back'));
          await inner.transaction(async (innermost) => {
            afterCommit(innermost, () => ran.push('released inside rolled back'));
          });
          throw new Error('savepoint rolled back');
        }),
      ).rejects.toThrow('savepoint rolled back');
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['outer', 'released']);

    const none: string[] = [];
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.transaction(async (inner) => {
          afterCommit(inner, () => none.push('released, then the outer rolled back'));
        });
        throw new Error('outer rolled back');
      }),
    ).rejects.toThrow('outer rolled back');
    expect(none).toEqual([]);
  });

  it('runs it at once outside a transaction, and one that throws keeps neither the commit nor the others from happening', async () => {
    let now = 0;
    afterCommit(dataSource.manager, () => {
      now += 1;
    });
    expect(now).toBe(1);

    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      await manager.query("INSERT INTO tally VALUES ('throwing')");
      afterCommit(manager, () => {
        throw new Error('a broken callback');
      });
      afterCommit(manager, () => ran.push('after the broken one'));
    });
    expect(ran).toEqual(['after the broken one']);
    expect(await committed('throwing')).toBe(true);
  });

  it('refuses a transaction of a data source it was not registered on, rather than never running the callback', async () => {
    const unregistered = await new DataSource(options).initialize();
    try {
      await expect(
        unregistered.transaction(async (manager) => {
          afterCommit(manager, () => undefined);
        }),
      ).rejects.toThrow(/registerAfterCommit/);
    } finally {
      await unregistered.destroy();
    }
  });
});
