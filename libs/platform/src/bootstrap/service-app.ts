import { SERVICES, type ServiceName } from '@mallard/contracts';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { refuseRepoSecretsInProduction, serviceTokenSecretOf } from '../auth/repo-secrets.js';
import { ServiceTokenGuard } from '../auth/service-token.guard.js';
import { ServiceTokens } from '../auth/service-token.js';
import { ConfigError, loadConfig, ServiceConfig } from '../config/service-config.js';
import { createRootLogger, JsonLogger } from '../logging/logger.js';
import { createMetricsRegistry } from '../metrics/metrics.js';
import { installHttpHooks, PROBLEM_FASTIFY_OPTIONS } from './http-hooks.js';

export interface ServiceRuntime {
  metrics: Registry;
  logger: Logger;
}

export interface ServiceDefinition<C extends ServiceConfig = ServiceConfig> {
  /** One of SERVICES for the suite's own apps; tests may boot ad-hoc services by other names. */
  name: ServiceName | (string & {});
  config?: new () => C;
  // Method syntax on purpose: a definition with a wider config still fits where a plain one is expected.
  module(config: C, runtime: ServiceRuntime): DynamicModule;
  /** Runs once the app exists and before it listens: connect event consumers, set up docs. */
  beforeListen?(app: NestFastifyApplication, config: C, runtime: ServiceRuntime): Promise<void> | void;
  /** Keep request bodies as bytes beside the parsed JSON, for webhook signatures. */
  rawBody?: boolean;
  /**
   * `internal` (default): every non-public route needs a service token from the gateway
   * (ServiceTokenGuard). `edge`: the public edge, which authenticates its own callers (only
   * the gateway).
   */
  exposure?: 'internal' | 'edge';
}

export interface StartedService<C extends ServiceConfig = ServiceConfig> {
  app: NestFastifyApplication;
  config: C;
  runtime: ServiceRuntime;
  url: string;
  /** Signs this suite's service tokens (the gateway's calls; tests calling a service directly). */
  serviceTokens: ServiceTokens;
}

/**
 * Creates, wires and starts one service. `env` defaults to the process environment; tests
 * pass their own (their own database name, port 0).
 */
export async function startService<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  env: Record<string, string | undefined> = process.env,
): Promise<StartedService<C>> {
  const configClass = (definition.config ?? ServiceConfig) as new () => C;
  const defaults = SERVICES[definition.name as ServiceName] as (typeof SERVICES)[ServiceName] | undefined;
  const config = loadConfig(configClass, env, { PORT: defaults?.port, DATABASE_NAME: defaults?.database });
  refuseRepoSecretsInProduction(config, env);
  const serviceTokens = new ServiceTokens(serviceTokenSecretOf(config));
  const logger = createRootLogger(definition.name, config.LOG_LEVEL);
  const runtime: ServiceRuntime = { metrics: createMetricsRegistry(definition.name), logger };

  const adapter = new FastifyAdapter({
    ...PROBLEM_FASTIFY_OPTIONS,
    // Only the configured number of proxy hops may speak for the client's address.
    trustProxy: (_address: string, hop: number) => hop < config.TRUST_PROXY,
    bodyLimit: 1_048_576,
  });
  installHttpHooks(adapter.getInstance(), runtime.metrics);
  const app = await NestFactory.create<NestFastifyApplication>(definition.module(config, runtime), adapter, {
    logger: new JsonLogger(logger),
    rawBody: definition.rawBody ?? false,
    abortOnError: false,
  });
  if ((definition.exposure ?? 'internal') === 'internal') {
    app.useGlobalGuards(new ServiceTokenGuard(app.get(Reflector), serviceTokens, definition.name));
  }
  try {
    await definition.beforeListen?.(app, config, runtime);
    // Bootstrap hooks (migrations, topics) run before the consumer joins its group.
    await app.init();
    await app.startAllMicroservices();
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port }, `${definition.name} listening`);
  return { app, config, runtime, url: `http://127.0.0.1:${port}`, serviceTokens };
}

/**
 * The entry point of a service process: a bad config or a failed start ends it with a clear
 * message (exit 1); SIGTERM or SIGINT stops it cleanly (exit 0). The signal handlers are in
 * place before anything starts: a signal that arrives while the service is still starting
 * (migrating, joining its consumer group) is remembered, and the service stops as soon as the
 * start completes, instead of being killed half-started or reporting a failed start.
 */
export async function runService<C extends ServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  let started: StartedService<C> | undefined;
  let stopSignal: NodeJS.Signals | undefined;
  let stopping = false;

  const stop = async (service: StartedService<C>, signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const { logger } = service.runtime;
    logger.info({ signal }, `${definition.name} stopping`);
    try {
      // Closing drains the consumer before the database connection goes (see KafkaEventServer).
      await service.app.close();
    } catch (error) {
      logger.error({ err: error }, `${definition.name} did not stop cleanly`);
      logger.flush();
      process.exit(1);
    }
    logger.info(`${definition.name} stopped`);
    logger.flush();
    process.exit(0);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stopSignal ??= signal;
    if (started) void stop(started, signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    started = await startService(definition);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
    } else if (stopSignal) {
      // Asked to stop while starting, and the start did not complete: that is the stop asked for.
      process.stderr.write(`${definition.name}: stopped (${stopSignal}) before it finished starting: ${(error as Error).message}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`${definition.name}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exit(1);
  }
  if (stopSignal) await stop(started, stopSignal);
}
