import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
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
