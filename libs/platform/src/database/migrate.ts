import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

// Any constant works; it only has to be the same for every instance of every service.
const MIGRATION_LOCK_KEY = 7_357_001;
const LOCK_RETRY_MS = 100;

/**
 * Runs pending migrations under a session advisory lock, so instances that start together
 * apply each migration once instead of racing on the same DDL.
 *
 * The lock is tried, not waited for: a backend blocked in `pg_advisory_lock` keeps a snapshot
 * open, and `CREATE INDEX CONCURRENTLY` in the instance holding the lock waits for every older
 * snapshot of the database to go. The holder would wait for the waiter, which waits for the
 * holder, through the application where PostgreSQL's deadlock detector cannot see it.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    for (;;) {
      const [{ locked }]: { locked: boolean }[] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
      if (locked) break;
      await sleep(LOCK_RETRY_MS);
    }
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
