import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import {
  ensureDatabase,
  type ServiceConfig,
  type ServiceDefinition,
  type StartedService,
  startService,
  withDatabase,
} from '@mallard/platform';
import pg from 'pg';
import {
  callService,
  registerInternalService,
  type ServiceResponse,
  type SigningRelay,
  startSigningRelay,
  TEST_SERVICE_TOKEN_SECRET,
} from './service-calls.js';

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Every test file is a world of its own on the shared broker: the services it starts and the
 * probes it uses put this prefix before every topic, so concurrent files (and a suite running
 * through `npm start`) never consume each other's events. Module state is per test file;
 * MALLARD_TEST_RUN (set by the global setup) lets a run delete its own topics afterwards.
 */
export const TEST_TOPIC_PREFIX = `t${process.env.MALLARD_TEST_RUN ?? 'adhoc'}-${uniqueSuffix()}.`;

export function wireTopic(topic: string): string {
  return TEST_TOPIC_PREFIX + topic;
}

/** The infrastructure the global setup started or found; every test reads it from here. */
export function infrastructure(): { kafkaBrokers: string; databaseUrl: string } {
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  const databaseUrl = process.env.DATABASE_URL;
  if (!kafkaBrokers || !databaseUrl) throw new Error('KAFKA_BROKERS and DATABASE_URL must be set (test/global-setup.ts does it)');
  return { kafkaBrokers, databaseUrl };
}

export interface TestService<C extends ServiceConfig = ServiceConfig> extends StartedService<C> {
  databaseName: string;
  stop(): Promise<void>;
}

/**
 * Boots a service in this process against the real broker and a database of its own, on a
 * free port, so tests run side by side without sharing state.
 */
export async function startTestService<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  env: Record<string, string> = {},
): Promise<TestService<C>> {
  const { kafkaBrokers, databaseUrl } = infrastructure();
  const suffix = uniqueSuffix();
  const databaseName = env.DATABASE_NAME ?? `test_${definition.name.replace(/\W/g, '_')}_${suffix}`;
  const started = await startService(definition, {
    KAFKA_BROKERS: kafkaBrokers,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    NODE_ENV: 'test',
    // Test instances of one service run side by side on one broker: each gets its own group,
    // or they would share out the partitions and see each other's events.
    KAFKA_CONSUMER_GROUP: `${definition.name}-test-${suffix}`,
    KAFKA_TOPIC_PREFIX: TEST_TOPIC_PREFIX,
    // Test files run two at a time against one server, which may allow only 100 connections.
    DATABASE_POOL_SIZE: '5',
    // The gateway signs and the services verify with it; serviceFetch signs with it too.
    SERVICE_TOKEN_SECRET: TEST_SERVICE_TOKEN_SECRET,
    ...env,
    DATABASE_NAME: databaseName,
  });
  if ((definition.exposure ?? 'internal') === 'internal') registerInternalService(started.url, definition.name);
  return { ...started, databaseName, stop: () => started.app.close() };
}

/** A port free on 127.0.0.1 right now, for a service that must know its address before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RelayedTestService<C extends ServiceConfig = ServiceConfig> {
  service: TestService<C>;
  relay: SigningRelay;
  /** Stops the service and the relay, and drops the service's database. */
  stop(): Promise<void>;
}

/**
 * A service that calls itself back through the gateway (a provider's webhook, say), started
 * without a gateway: a signing relay stands in for it, forwarding to the service with a service
 * token. `env` gets the relay's URL to point the service's callback settings at it.
 */
export async function startTestServiceBehindRelay<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  env: (relayUrl: string) => Record<string, string>,
): Promise<RelayedTestService<C>> {
  const port = await freePort();
  const relay = await startSigningRelay(`http://127.0.0.1:${port}`);
  const service = await startTestService(definition, { PORT: String(port), ...env(relay.url) });
  return {
    service,
    relay,
    stop: async () => {
      await service.stop();
      await relay.close();
      await dropDatabase(service.databaseName);
    },
  };
}

/** Runs SQL against a test service's own database from outside the service. */
export async function queryDatabase<T = Record<string, unknown>>(databaseName: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const { databaseUrl } = infrastructure();
  await ensureDatabase(databaseUrl, databaseName);
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, databaseName) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function dropDatabase(databaseName: string): Promise<void> {
  const client = new pg.Client({ connectionString: infrastructure().databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Polls until `probe` returns a value that `done` accepts, or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
}

/**
 * Several instances of one service sharing one database and one consumer group, as replicas
 * run in production: started together by startTestServiceGroup, stopped together. A service's
 * own test kit extends it with what only that service needs (seeding, domain queries).
 */
export class TestServiceGroup<C extends ServiceConfig = ServiceConfig> {
  constructor(readonly instances: readonly TestService<C>[]) {
    if (instances.length === 0) throw new Error('a service group has at least one instance');
  }

  /** The first instance: the one HTTP calls go to. */
  get service(): TestService<C> {
    return this.instances[0];
  }

  get databaseName(): string {
    return this.service.databaseName;
  }

  get consumerGroup(): string {
    return this.service.config.KAFKA_CONSUMER_GROUP!;
  }

  http<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ServiceResponse<T>> {
    return callService<T>(this.service.url, method, path, body, headers);
  }

  query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.databaseName, sql, params);
  }

  /** Waits until the group handled (or skipped as a duplicate) the event and relayed what it wrote. */
  async waitUntilHandled(eventId: string): Promise<void> {
    await eventually(
      () => this.query('SELECT 1 FROM inbox_message WHERE event_id = $1', [eventId]),
      (rows) => rows.length === 1,
    );
    await eventually(
      () => this.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_message'),
      (rows) => rows[0].n === 0,
    );
  }

  /** Stops every instance at once (one by one, each departure would make the others rebalance first), then drops the database. */
  async stop({ keepDatabase = false } = {}): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance.stop().catch(() => undefined)));
    if (!keepDatabase) await dropDatabase(this.databaseName);
  }
}

/**
 * Starts `instances` copies of a service on one database and one consumer group, together, so
 * the group forms once instead of rebalancing for each newcomer. If one fails to start, the
 * others are stopped, the database dropped, and the failure thrown.
 */
export async function startTestServiceGroup<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  env: Record<string, string> = {},
  { instances = 1 }: { instances?: number } = {},
): Promise<TestServiceGroup<C>> {
  const suffix = uniqueSuffix();
  const shared = {
    DATABASE_NAME: `test_${definition.name.replace(/\W/g, '_')}_${suffix}`,
    KAFKA_CONSUMER_GROUP: `${definition.name}-test-${suffix}`,
  };
  const started = await Promise.allSettled(Array.from({ length: instances }, () => startTestService(definition, { ...env, ...shared })));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(running.map((instance) => instance.stop().catch(() => undefined)));
    await dropDatabase(shared.DATABASE_NAME);
    throw failure.reason;
  }
  return new TestServiceGroup(running);
}
