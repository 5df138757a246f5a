import fs from 'node:fs';
import path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_JSON_PATH } from '../apps/gateway/src/edge/openapi.js';
import { gatewayService } from '../apps/gateway/src/service.js';
import { breakingChanges, type OpenApiDocument } from '../tools/openapi/breaking-changes.js';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../tools/openapi/client-types.js';
import { generateOpenApiDocument, OPENAPI_DOC_FILE, previewGateway, REPO_ROOT, renderOpenApiJson } from '../tools/openapi/openapi-doc.js';

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}
interface OperationLike {
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}

/** Money, quantities and points are whole minor units; a front end needs an example of each plain field. */
function fieldGaps(where: string, schema: JsonSchema, exampleAbove = false): string[] {
  const gaps: string[] = [];
  if (schema.type === 'number') gaps.push(`${where}: type number (Mallard's numbers are integers)`);
  const plain = schema.type === 'string' || schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean';
  if (plain && !exampleAbove && schema.enum === undefined && schema.example === undefined && where.includes('.'))
    gaps.push(`${where}: no example`);
  for (const [name, property] of Object.entries(schema.properties ?? {})) gaps.push(...fieldGaps(`${where}.${name}`, property));
  if (schema.items) gaps.push(...fieldGaps(`${where}[]`, schema.items, schema.example !== undefined));
  return gaps;
}

const REGENERATE = `run \`npm run docs:api\` and commit ${OPENAPI_DOC_FILE}`;
const committedText = fs.readFileSync(path.join(REPO_ROOT, OPENAPI_DOC_FILE), 'utf8');

describe(`${OPENAPI_DOC_FILE}, generated from the gateway's controllers`, () => {
  let generated: OpenAPIObject;
  beforeAll(async () => {
    generated = await generateOpenApiDocument();
  });

  it('breaks no client of the committed document unless the committed document says so', () => {
    // Listed before the drift check's full diff: these are the lines a reviewer must agree to.
    const breaking = breakingChanges(JSON.parse(committedText) as OpenApiDocument, generated as OpenApiDocument);
    expect(
      breaking,
      `The code breaks clients of /api/v1:\n  ${breaking.join('\n  ')}\nIf that is intended, ${REGENERATE} so the break is a deliberate, reviewed edit.`,
    ).toEqual([]);
  });

  it('is what the code generates now', () => {
    // toBe's diff shows the lines that differ; the message says how to fix it.
    expect(committedText, `${OPENAPI_DOC_FILE} is out of date with the gateway's controllers: ${REGENERATE}`).toBe(
      renderOpenApiJson(generated),
    );
  });

  it('describes every request and answer, with integers for every number and an example for every plain field', () => {
    const gaps: string[] = [];
    const schemas = (generated.components?.schemas ?? {}) as Record<string, JsonSchema>;
    for (const [name, schema] of Object.entries(schemas)) gaps.push(...fieldGaps(name, schema));
    for (const [template, item] of Object.entries(generated.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, OperationLike>)) {
        const where = `${method.toUpperCase()} ${template}`;
        const body = operation.requestBody?.content ?? {};
        for (const [mediaType, media] of Object.entries(body)) if (!media.schema) gaps.push(`${where}: ${mediaType} body without a schema`);
        for (const [status, answer] of Object.entries(operation.responses ?? {})) {
          if (!status.startsWith('2')) continue;
          const contents = Object.entries(answer.content ?? {});
          if (contents.length === 0) gaps.push(`${where} ${status}: no body described`);
          for (const [mediaType, media] of contents) if (!media.schema) gaps.push(`${where} ${status} ${mediaType}: no schema`);
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  it('is what libs/client is typed by', async () => {
    const clientTypes = fs.readFileSync(path.join(REPO_ROOT, CLIENT_TYPES_FILE), 'utf8');
    expect(clientTypes, `${CLIENT_TYPES_FILE} is out of date with the gateway's controllers: run \`npm run docs:api\` and commit it`).toBe(
      await renderClientTypes(generated),
    );
  });

  it('is the document the gateway serves, byte for byte once pretty-printed', async () => {
    // The gateway's own wiring (service.ts beforeListen), on its modules in preview mode: what
    // `npm start` serves, without Kafka or PostgreSQL. The route is Fastify's own, so no listen is needed.
    const { app, config, runtime } = await previewGateway();
    try {
      await gatewayService.beforeListen?.(app, config, runtime);
      const served = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: OPENAPI_JSON_PATH });
      expect(served.statusCode).toBe(200);
      expect(renderOpenApiJson(served.json())).toBe(renderOpenApiJson(generated));
    } finally {
      await app.close();
    }
  });

  it('gives the same bytes on every run', async () => {
    expect(renderOpenApiJson(await generateOpenApiDocument())).toBe(renderOpenApiJson(generated));
  });
});
