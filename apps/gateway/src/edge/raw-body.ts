import { statusProblem } from '@mallard/platform';
import { createParamDecorator, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { edgeProblems } from './edge.problems.js';

/**
 * Provider webhooks are signed over the exact bytes sent; re-serialising the parsed JSON
 * changes spacing, key order or escapes and breaks the signature. With this option Nest's
 * Fastify adapter keeps `request.rawBody` (a Buffer) beside the parsed body for JSON and
 * form posts; other types need `app.useBodyParser(type)` after creation to be kept too.
 */
export const RAW_BODY_APP_OPTIONS = { rawBody: true } as const;

export interface RequestWithRawBody {
  body?: unknown;
  rawBody?: Buffer;
}

export function rawBodyOf(request: RequestWithRawBody): Buffer {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  if (request.body === undefined || request.body === null) {
    throw edgeProblems.bodyRequired();
  }
  // A parsed body without its bytes means the app was created without rawBody: a bug, so a 500.
  throw new Error('request.rawBody is missing: create the gateway with RAW_BODY_APP_OPTIONS (rawBody: true)');
}

/** The request body exactly as received, for signature checks: `@SignedBody() raw: Buffer`. */
export const SignedBody = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  rawBodyOf(context.switchToHttp().getRequest<RequestWithRawBody>()),
);

/** The route config entry (Fastify `config`) of a route that takes multipart/form-data as bytes. */
const RAW_MULTIPART = 'rawMultipart';

interface RawMultipartConfig {
  bodyLimit: number;
}

const MULTIPART = 'multipart/form-data';

function rawMultipartOf(config: unknown): RawMultipartConfig | undefined {
  return (config as Record<string, RawMultipartConfig | undefined> | undefined)?.[RAW_MULTIPART];
}

function isMultipart(contentType: string | undefined): boolean {
  return contentType?.split(';')[0].trim().toLowerCase() === MULTIPART;
}

/**
 * A route that takes files as multipart/form-data and hands them on unparsed (the service behind it
 * reads the parts): the body, up to `bodyLimit` bytes, arrives as `request.rawBody` (`rawBodyOf`),
 * and any other media type, or none, is 415. Every other route still refuses multipart with 415.
 * Works with `installRawMultipart` (configureGatewayHttp).
 */
export const RawMultipartBody = (bodyLimit: number): MethodDecorator => RouteConfig({ [RAW_MULTIPART]: { bodyLimit } });

/**
 * Fastify's part of RawMultipartBody; call before the routes are registered (before `app.init()`).
 * The body limit of a multipart route is its own, not the 1 MiB of JSON bodies, and a body of
 * another type is refused before any of it is read, so no JSON parser ever reads that much. The
 * bytes are kept as `rawBody` and the parsed body stays empty: nothing walks a file as if it were
 * JSON (installHttpHooks' input checks would read every byte of it as a field).
 */
export function installRawMultipart(app: INestApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onRoute', (route) => {
    const multipart = rawMultipartOf(route.config);
    if (multipart) route.bodyLimit = multipart.bodyLimit;
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (rawMultipartOf(request.routeOptions.config) && !isMultipart(request.headers['content-type'])) {
      done(statusProblem(415, `This route takes its files as ${MULTIPART}.`));
      return;
    }
    done(null, payload);
  });
  fastify.addContentTypeParser(MULTIPART, { parseAs: 'buffer' }, (request, body, done) => {
    if (!rawMultipartOf(request.routeOptions.config)) {
      done(statusProblem(415, `This route does not take ${MULTIPART}: send JSON.`), undefined);
      return;
    }
    (request as RequestWithRawBody).rawBody = body as Buffer;
    done(null, undefined);
  });
}
