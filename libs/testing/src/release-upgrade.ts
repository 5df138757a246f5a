import { withDatabase } from '@mallard/platform';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { infrastructure } from './service-harness.js';

/** A release's migrations, oldest first, the libs' shared tables included, as the service runs them on start. */
export type ReleaseMigrations = NonNullable<DataSourceOptions['migrations']>;
// biome-ignore lint/complexity/noBannedTypes: TypeORM takes migration classes as Function.
type ReleaseMigrationClass = Function;

/**
 * For upgrade specs: opens a test service's database with its `migrations` (the service's list,
 * the libs' shared tables included), undoes the last of them, and every one after it the
 * service has run since, so the schema is as the release before that migration left it, and
 * hands the connection to `use` (which may seed what that release wrote, or upgrade again with
 * `runMigrations`). The connection is closed afterwards, whatever `use` did.
 */
export async function withPreviousRelease<T>(
  databaseName: string,
  migrations: ReleaseMigrations,
  use: (dataSource: DataSource) => Promise<T>,
  later: readonly ReleaseMigrationClass[] = [],
): Promise<T> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: withDatabase(infrastructure().databaseUrl, databaseName),
    migrations: [...(migrations as ReleaseMigrationClass[]), ...later],
  });
  await dataSource.initialize();
  try {
    for (let undo = 0; undo <= later.length; undo += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    return await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
