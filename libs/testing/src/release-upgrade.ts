import { withDatabase } from '@mallard/platform';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { infrastructure } from './service-harness.js';

/** A release's migrations, oldest first, the libs' shared tables included, as the service runs them on start. */
export type ReleaseMigrations = NonNullable<DataSourceOptions['migrations']>;

/**
 * For upgrade specs: opens a test service's database with this release's `migrations`, undoes
 * the last one, so the schema is as the previous release left it, and hands the connection to
 * `use` (which may seed what the previous release wrote, or upgrade again with
 * `runMigrations`). The connection is closed afterwards, whatever `use` did.
 */
export async function withPreviousRelease<T>(
  databaseName: string,
  migrations: ReleaseMigrations,
  use: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource({ type: 'postgres', url: withDatabase(infrastructure().databaseUrl, databaseName), migrations });
  await dataSource.initialize();
  try {
    await dataSource.undoLastMigration({ transaction: 'each' });
    return await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
