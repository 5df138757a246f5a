import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type ServiceRuntime } from '@mallard/platform';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { GatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';
import { buildOpenApiDocument } from '../../apps/gateway/src/edge/openapi.js';
import { gatewayService } from '../../apps/gateway/src/service.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OPENAPI_DOC_FILE = 'docs/openapi.json';

export interface GatewayPreview {
  app: NestFastifyApplication;
  config: GatewayConfig;
  runtime: ServiceRuntime;
}

/**
 * The gateway's module graph, as `npm start` wires it, without starting it: Nest's preview mode
 * reads the modules and controllers but creates no provider, so neither Kafka nor PostgreSQL is
 * touched. The settings are fixed rather than read from the environment, so every machine gets
 * the same document. Close the app when done.
 */
export async function previewGateway(): Promise<GatewayPreview> {
  const config = loadConfig(GatewayConfig, {}, { PORT: 0, DATABASE_NAME: 'gateway' });
  const runtime: ServiceRuntime = { metrics: new Registry(), logger: pino({ enabled: false }) };
  const app = await NestFactory.create<NestFastifyApplication>(gatewayService.module(config, runtime), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  return { app, config, runtime };
}

/** The gateway's OpenAPI document, built by the same function that serves it. */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const { app } = await previewGateway();
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** docs/openapi.json's text: 2-space JSON in the document's own (stable) key order, newline-terminated. */
export function renderOpenApiJson(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
