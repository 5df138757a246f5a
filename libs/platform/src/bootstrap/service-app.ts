import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SERVICES, type ServiceName } from '@mallard/contracts';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
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
}

export interface StartedService<C extends ServiceConfig = ServiceConfig> {
  app: NestFastifyApplication;
  config: C;
  runtime: ServiceRuntime;
  url: string;
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
  return { app, config, runtime, url: `http://127.0.0.1:${port}` };
}

/** The entry point of a service process: a bad config or a failed start ends it with a clear message. */
export async function runService<C extends ServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  try {
    const { app, runtime } = await startService(definition);
    let stopping = false;
    const stop = async (signal: NodeJS.Signals): Promise<void> => {
      if (stopping) return;
      stopping = true;
      runtime.logger.info({ signal }, `${definition.name} stopping`);
      // Closing drains the consumer before the database connection goes (see KafkaEventServer).
      await app.close();
      runtime.logger.info(`${definition.name} stopped`);
      runtime.logger.flush();
      process.exit(0);
    };
    process.once('SIGTERM', (signal) => void stop(signal));
    process.once('SIGINT', (signal) => void stop(signal));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
    } else {
      process.stderr.write(`${definition.name}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exit(1);
  }
}

