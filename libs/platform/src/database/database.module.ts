import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import type { ServiceConfig } from '../config/service-config.js';
import { ensureDatabase, withDatabase } from './ensure-database.js';
import { runMigrationsExclusively } from './migrate.js';

export interface DatabaseOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
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
            extra: { max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 10_000 },
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            await ensureDatabase(config.DATABASE_URL, config.DATABASE_NAME);
            const dataSource = await new DataSource(dataSourceOptions!).initialize();
            await runMigrationsExclusively(dataSource);
            return dataSource;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
