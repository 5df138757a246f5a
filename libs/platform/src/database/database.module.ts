import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Registry } from 'prom-client';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import type { ServiceConfig } from '../config/service-config.js';
import { registerAfterCommit } from './after-commit.js';
import { ensureDatabase, withDatabase } from './ensure-database.js';
import { runMigrationsExclusively } from './migrate.js';
import { registerPoolGauges } from './pool-state.js';
import { preparingClient } from './prepared-statements.js';

export interface DatabaseOptions {
  // biome-ignore lint/complexity/noBannedTypes: TypeORM types entity classes as Function
  entities: MixedList<Function | string | EntitySchema>;
  // biome-ignore lint/complexity/noBannedTypes: TypeORM types entity classes as Function
  migrations: MixedList<Function | string>;
  /** Where the pool's gauges go; none without it. */
  metrics?: Registry;
}

/**
 * The service's own PostgreSQL database through TypeORM: created if missing, migrated on start
 * (never `synchronize`), closed by Nest after the event consumer has drained.
 */
@Module({})
export class DatabaseModule {
  static forService(config: ServiceConfig, options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres' as const,
            url: withDatabase(config.DATABASE_URL, config.DATABASE_NAME),
            entities: options.entities,
            migrations: options.migrations,
            migrationsRun: false,
            synchronize: false,
            extra: {
              max: config.DATABASE_POOL_SIZE,
              connectionTimeoutMillis: 10_000,
              statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS,
              ...(config.DATABASE_PREPARED_STATEMENTS > 0 ? { Client: preparingClient(config.DATABASE_PREPARED_STATEMENTS) } : {}),
            },
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            await ensureDatabase(config.DATABASE_URL, config.DATABASE_NAME);
            // Migrations (and the wait for another instance's) may rightly outlast the statement
            // timeout, so they run on connections of their own without it: one holds the
            // migration lock, the other applies the migrations.
            const connection = dataSourceOptions as DataSourceOptions;
            const migrator = await new DataSource({ ...connection, extra: { max: 2, connectionTimeoutMillis: 10_000 } }).initialize();
            try {
              await runMigrationsExclusively(migrator);
            } finally {
              await migrator.destroy();
            }
            const dataSource = await new DataSource(connection).initialize();
            registerAfterCommit(dataSource);
            if (options.metrics) registerPoolGauges(options.metrics, dataSource);
            return dataSource;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
