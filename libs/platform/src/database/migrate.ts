import type { DataSource } from 'typeorm';

// Any constant works; it only has to be the same for every instance of every service.
const MIGRATION_LOCK_KEY = 7_357_001;

/**
 * Runs pending migrations under a session advisory lock, so instances that start together
 * apply each migration once instead of racing on the same DDL.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
