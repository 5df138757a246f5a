import { plainToInstance, Type } from 'class-transformer';
import {
  getMetadataStorage,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { LOG_LEVELS, type PinoLevel } from '../logging/logger.js';

/**
 * Settings every service reads from its environment. Each property is named after its
 * variable; the README lists them. A bad value stops the process before anything starts.
 */
export class ServiceConfig {
  @Type(() => Number)
  @IsInt()
  @Min(0) // 0 picks a free port, which tests use
  @Max(65535)
  PORT!: number;

  /** Loopback unless told otherwise: containers and pods set 0.0.0.0 themselves (Dockerfile). */
  @IsString()
  @IsNotEmpty()
  HOST: string = '127.0.0.1';

  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  /** Kafka consumer group; defaults to the service name. Tests give each instance its own. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'KAFKA_CONSUMER_GROUP must be letters, digits, dot, dash or underscore' })
  KAFKA_CONSUMER_GROUP?: string;

  /** Prefix of every Kafka topic name, so several suites can share a broker; empty in production. */
  @Matches(/^[A-Za-z0-9._-]{0,100}$/, { message: 'KAFKA_TOPIC_PREFIX must be letters, digits, dot, dash or underscore' })
  KAFKA_TOPIC_PREFIX: string = '';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/postgres';

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_NAME must be a lower-case SQL identifier' })
  DATABASE_NAME!: string;

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  /**
   * Longest a single SQL statement may run before PostgreSQL cancels it, so a stuck query or a
   * lock wait frees its connection instead of starving the pool. Migrations are exempt.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS: number = 15_000;

  /**
   * Parameterised statements each connection keeps prepared (parsed once, planned once when a
   * generic plan does); 0 runs every statement unnamed, as a pooler in transaction mode needs
   * when it does not track prepared statements itself.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  DATABASE_PREPARED_STATEMENTS: number = 200;

  /**
   * Days an applied event's inbox row is kept to recognise a redelivery. Keep it above the
   * Kafka topics' retention: an event redelivered after its row is purged is applied again.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  INBOX_RETENTION_DAYS: number = 8;

  /** Pause between purges of inbox rows past the retention (the first runs at start). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  INBOX_PURGE_INTERVAL_MS: number = 600_000;

  /** Inbox rows one DELETE removes at most, so no statement holds many locks or runs long. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  INBOX_PURGE_BATCH_SIZE: number = 5_000;

  /** Proxy hops to trust for the client address (X-Forwarded-For); 0 trusts none. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY: number = 0;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: PinoLevel = 'info';

  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /**
   * HS256 key of the service tokens the gateway signs and every other service verifies
   * (libs/platform/src/auth). Required in production (startService refuses to start without
   * it: serviceTokenSecretOf); elsewhere a development key is used when unset (the local
   * launcher and the tests set their own).
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SERVICE_TOKEN_SECRET must be at least 32 characters' })
  SERVICE_TOKEN_SECRET?: string;

  get kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS.split(',');
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The variables a config class reads: its validated properties. */
// biome-ignore lint/complexity/noBannedTypes: class-validator keys its metadata by the constructor, typed Function
export function settingNames(configClass: Function): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(configClass, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
}

/**
 * Reads a config class from the environment. `defaults` fill what neither the environment nor
 * the class initialisers give (e.g. a service's own port). Unknown variables are ignored: the
 * environment holds much that is not ours.
 */
export function loadConfig<T extends object>(
  configClass: new () => T,
  env: Record<string, string | undefined> = process.env,
  defaults: Record<string, unknown> = {},
): T {
  const known = settingNames(configClass);
  const provided = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''),
  );
  const config = plainToInstance(configClass, { ...defaults, ...provided }, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) => `  ${error.property}=${JSON.stringify(env[error.property] ?? null)}: ${Object.values(error.constraints ?? {}).join(', ')}`,
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
