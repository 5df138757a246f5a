import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMallardClient, type MallardClient, type MallardClientOptions } from '@mallard/client';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Middleware } from 'openapi-fetch';

/**
 * The public API's contract as the end-to-end tests hold the gateway to it: every answer they
 * receive must match the schema docs/openapi.json gives for its route, status and media type.
 * Formats (date-time, uuid) are not checked; types, required fields, enums and nullability are.
 */
const DOCUMENT_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/openapi.json');
const DOCUMENT_ID = 'mallard-openapi';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
type Document = { paths: Record<string, Record<string, Operation>>; components: object };

let contract: { routes: { method: string; pattern: RegExp; template: string; operation: Operation }[]; ajv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction>();

function load() {
  if (contract) return contract;
  const document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Document;
  // OpenAPI 3.0 schemas: `nullable` is understood, `example` and the like are annotations.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
  const routes = Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      operation,
    })),
  );
  contract = { routes, ajv };
  return contract;
}

/** The schema with its references pointed at the document's components. */
const anchored = (schema: object): object =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`));

/** Whether the document has an operation for this method and path (the fuzz suite also sends others). */
export function isDocumentedRoute(method: string, url: string): boolean {
  const pathOnly = url.split('?')[0];
  return load().routes.some((route) => route.method === method.toUpperCase() && route.pattern.test(pathOnly));
}

/** Throws, naming what differs, when an answer of the gateway is not what the document promises. */
export function assertAnswerInContract(method: string, url: string, status: number, contentType: string, body: unknown): void {
  const { routes, ajv } = load();
  const pathOnly = url.split('?')[0];
  const route = routes.find((candidate) => candidate.method === method.toUpperCase() && candidate.pattern.test(pathOnly));
  if (!route) throw new Error(`${method} ${pathOnly} is not in docs/openapi.json`);
  const response = route.operation.responses[String(status)] ?? route.operation.responses.default;
  if (!response) throw new Error(`${method} ${route.template} answered ${status}, which docs/openapi.json does not list`);
  const mediaType = contentType.split(';')[0].trim();
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) return;
  const media = content[mediaType];
  if (!media)
    throw new Error(`${method} ${route.template} answered ${status} as ${mediaType}; the document says ${Object.keys(content).join(', ')}`);
  if (!media.schema) return;
  const key = `${method} ${route.template} ${status} ${mediaType}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(anchored(media.schema));
    validators.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(`${key}: the answer does not match docs/openapi.json: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
  }
}

/** assertAnswerInContract for a fetch Response, read from a copy so the caller can still read it. */
export async function assertResponseInContract(method: string, url: string, response: Response): Promise<void> {
  const text = await response.clone().text();
  const contentType = response.headers.get('content-type') ?? '';
  const body = text && contentType.includes('json') ? JSON.parse(text) : text || null;
  assertAnswerInContract(method, new URL(url).pathname, response.status, contentType, body);
}

/**
 * libs/client middleware for the end-to-end tests: every answer the client hands back has first
 * been held to the document, so a test fails on an answer off contract.
 */
export const contractCheck: Middleware = {
  async onResponse({ request, response }) {
    await assertResponseInContract(request.method, request.url, response);
    return undefined;
  },
};

/** A client of the gateway at `baseUrl` as the holder of `token`, its answers checked against the contract. */
export function contractCheckedClient(baseUrl: string, token?: string, options: Partial<MallardClientOptions> = {}): MallardClient {
  const client = createMallardClient({ baseUrl, token, ...options });
  client.use(contractCheck);
  return client;
}

/** fetch, for tests that send what the typed client cannot (raw provider webhooks), with the answer held to the contract. */
export async function fetchInContract(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  await assertResponseInContract(init.method ?? 'GET', url, response);
  return response;
}
