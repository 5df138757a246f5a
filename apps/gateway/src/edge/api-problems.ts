import { PROBLEM_CONTENT_TYPE } from '@mallard/platform';
import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

/** What each error status means on the public API; a route lists the ones it can answer. */
const PROBLEM_MEANINGS: Readonly<Record<number, string>> = {
  400: 'The request is malformed or fails validation (`validation-failed` lists each field in `errors`)',
  401: 'No valid bearer token',
  403: 'The token lacks the role this operation needs',
  404: 'Nothing with this id belongs to the caller',
  409: 'The resource is in a state that refuses this operation',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'A business rule refuses the request (the `type` says which)',
  429: 'Too many requests; retry after `Retry-After` seconds',
  502: 'A service behind the gateway gave an answer the gateway cannot read',
  503: 'A service behind the gateway is unavailable or busy; retry after `Retry-After` seconds',
};

/** Every route can answer these: validation, authentication and an unavailable service. */
const ALWAYS = [400, 429, 503] as const;

/**
 * Declares the error answers of an operation, each an RFC 9457 problem+json body
 * (components/schemas/Problem; docs/errors.md lists every `type`). 400, 429 and 503 are added
 * to every operation; pass the statuses specific to the route (401/403 come with bearer auth).
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([...ALWAYS, ...statuses])].sort((a, b) => a - b);
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_MEANINGS[status] ?? 'An error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
        headers:
          status === 429 || status === 503
            ? { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } }
            : undefined,
      }),
    ),
  );
}

/** One error answer whose meaning on this route is narrower than the one ApiProblems gives its status. */
export const ApiProblem = (status: number, description: string): MethodDecorator & ClassDecorator =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } });

/** The Idempotency-Key a write needs: a retry with the same key and body gets the first answer. */
export const ApiIdempotencyKey = (required = true): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required,
      description:
        'A key the client makes per intended operation (a UUID); the same key and body replay the first answer, another body with the same key is refused (docs/errors.md: `idempotency-key-reused`, `movement-key-reused`)',
      schema: { type: 'string', pattern: '^[!-~]{1,200}$' },
    }),
  );
