import { CORRELATION_HEADER, PROBLEM_CONTENT_TYPE } from '@mallard/platform';
import type { INestApplication } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC_KEY } from '../auth/index.js';

export const OPENAPI_JSON_PATH = '/api/v1/openapi.json';
export const DOCS_PATH = '/docs';
export const BEARER_SCHEME = 'bearer';

export interface OpenApiOptions {
  /** The API's version as published in the document; bump it when a contract changes. */
  version?: string;
}

/**
 * Serves the document and the Swagger UI straight on Fastify, outside Nest's routing, so no
 * guard, limiter or global prefix applies to them: they are public by construction. The
 * document is built on first request, once every controller is registered.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions = {}): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app, options), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Mallard API',
  });
}

/**
 * The gateway's OpenAPI document, from the controllers registered in `app`: the one way it is
 * built, for the served document and for the committed docs/openapi.json (`npm run docs:api`).
 * The app need not be started, nor its providers created: only its modules are read.
 */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions = {}): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Mallard API')
    .setDescription(
      'Public HTTP API of the Mallard mall back office. Errors are RFC 9457 problem+json. ' +
        'Send `Authorization: Bearer <token>`; operations marked as open need none.',
    )
    .setVersion(options.version ?? '1.0.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // Relative: whichever host serves the document serves the API, in every environment.
    .addServer('/', 'The gateway that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME);
  for (const [name, description] of Object.entries(TAGS)) config.addTag(name, description);
  return finishDocument(SwaggerModule.createDocument(app, config.build(), { operationIdFactory: operationId }), publicOperationIds(app));
}

/**
 * Every tag a controller uses (@ApiTags), with what it groups; `redocly lint` (operation-tag-defined)
 * fails on a tag missing here.
 */
const TAGS: Record<string, string> = {
  orders: 'A shopper places, reads, cancels and reorders their orders.',
  payments: 'A shopper pays an order, reads their points and checks gift card balances.',
  'back office': 'Merchants, warehouses, SKUs, stock, promotions, gift cards, points, refunds and reconciliation: admins only.',
  warehouse:
    'Warehouse staff pick, pack and hand parcels to carriers; drop-ship merchants report their shipments; customer service reads parcels.',
  'after-sales':
    'A shopper asks for a refund, a return or an exchange of delivered units, adds evidence and sends the goods back; customer service decides; the warehouse receives and inspects returns.',
  invoices:
    'An invoice per sub-order and a credit note per refund after it, gap-free numbers per issuer, as JSON or PDF: the shopper asks for and reads their own, customer service reads any and issues or reissues.',
  webhooks: 'Payment providers report charges and refunds; each call is verified by its signature, not a bearer token.',
};

const operationId = (controllerKey: string, methodKey: string): string => `${controllerKey}_${methodKey}`;

/**
 * The auth guard is closed by default, so the document is too: bearer is required globally
 * and lifted only from operations marked public, the same metadata the guard reads.
 */
function publicOperationIds(app: INestApplication): Set<string> {
  // Reflector is stateless: a fresh one reads the same metadata, and needs no started app.
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller?.prototype) continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler === 'function' && reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, controller])) {
          ids.add(operationId(controller.name, name));
        }
      }
    }
  }
  return ids;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function finishDocument(document: OpenAPIObject, publicIds: Set<string>): OpenAPIObject {
  document.security = [{ [BEARER_SCHEME]: [] }];
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      if (operation.operationId && publicIds.has(operation.operationId)) operation.security = [];
      operation.parameters = [...(operation.parameters ?? []), CORRELATION_PARAMETER];
      operation.responses ??= {};
      for (const response of Object.values(operation.responses)) {
        if (!response || '$ref' in response) continue;
        response.headers = { ...response.headers, [CORRELATION_HEADER]: CORRELATION_RESPONSE_HEADER };
      }
      operation.responses.default ??= {
        description: 'An error, as RFC 9457 problem details',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
  }
  return inStableOrder(document);
}

/**
 * Paths by URL, operations by method and components by name, whatever order the modules were
 * imported in: the committed document changes only when the API does.
 */
function inStableOrder(document: OpenAPIObject): OpenAPIObject {
  const { openapi, info, servers, tags, security, paths, components, ...rest } = document;
  // Path-level fields (summary, parameters) rank -1: before the operations.
  const methodRank = (key: string): number => HTTP_METHODS.indexOf(key as (typeof HTTP_METHODS)[number]);
  const sortedPaths = Object.fromEntries(
    Object.entries(paths)
      .sort(([a], [b]) => byKey(a, b))
      .map(([url, item]) => [url, Object.fromEntries(Object.entries(item).sort(([a], [b]) => methodRank(a) - methodRank(b)))]),
  );
  const sortedComponents =
    components &&
    Object.fromEntries(
      Object.entries(components).map(([section, entries]) => [
        section,
        Object.fromEntries(Object.entries(entries as Record<string, unknown>).sort(([a], [b]) => byKey(a, b))),
      ]),
    );
  return { openapi, info, servers, tags, security, ...rest, paths: sortedPaths, components: sortedComponents } as OpenAPIObject;
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every answer carries the request's correlation id: the caller's, or one the gateway made. */
const CORRELATION_PARAMETER = {
  name: CORRELATION_HEADER,
  in: 'header' as const,
  required: false,
  description:
    'An id to follow this request through every service and its logs (1–128 of A–Z a–z 0–9 . _ : -); one is made when absent or unusable',
  schema: { type: 'string' as const },
};
const CORRELATION_RESPONSE_HEADER = {
  description: 'The correlation id of the request (the one sent, or the one the gateway made)',
  schema: { type: 'string' as const },
};

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Switch on `type` (catalogued in docs/errors.md); members beside the standard ones are specific to the type.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://mallard.dev/problems/validation-failed' },
    title: { type: 'string', description: 'The same for every problem of the type', example: 'Invalid request' },
    status: { type: 'integer', description: 'The HTTP status, repeated', example: 400 },
    detail: { type: 'string', description: 'What went wrong this time, for people', example: '1 field is invalid' },
    instance: { type: 'string', description: 'The path of the request', example: '/api/v1/orders' },
    correlationId: {
      type: 'string',
      description: 'Quote it to support: it finds the request in the logs',
      example: 'c0ffee00-1234-4abc-9def-0123456789ab',
    },
    errors: {
      type: 'array',
      description: '400 validation-failed: each rejected field',
      items: {
        type: 'object',
        required: ['field', 'messages'],
        properties: {
          field: { type: 'string', description: 'Its dotted path in the request', example: 'lines.0.quantity' },
          messages: { type: 'array', items: { type: 'string' }, example: ['quantity must not be less than 1'] },
        },
      },
    },
  },
  additionalProperties: true,
};
