import type { ModuleMetadata, NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

export interface HttpTestAppOptions {
  /** Added to the application options; the app logs nothing unless these say otherwise. */
  appOptions?: NestApplicationOptions;
  /** Runs on the app before it initialises: global prefixes, hooks and the like. */
  configure?: (app: NestFastifyApplication) => void;
}

/**
 * A Nest application on Fastify made of `metadata` alone, ready for `app.inject` (no port is
 * opened): for specs of HTTP behaviour that need no broker or database. The caller closes it.
 */
export async function startHttpTestApp(metadata: ModuleMetadata, options: HttpTestAppOptions = {}): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false, ...options.appOptions });
  options.configure?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
