import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { OPERATIONS_TAKING_IDEMPOTENCY_KEY, type paths } from './generated/openapi.js';
import { DEFAULT_RETRY_POLICY, NO_RETRY, type RetryPolicy, retryingFetch } from './safe-retry.js';

export interface MallardClientOptions {
  /** Where the gateway answers, e.g. `https://mall.example.com` (the paths start with /api/v1). */
  baseUrl: string;
  /** The shopper's or staff member's access token, or a function that gives the current one. */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** Retries of safe requests (see safe-retry.ts); `false` sends every request once. */
  retry?: Partial<RetryPolicy> | false;
  /** The fetch to send with; the platform's by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** Makes the Idempotency-Key of a call that gives none; a random UUID by default. */
  idempotencyKey?: () => string;
}

export type MallardClient = Client<paths>;

/**
 * A typed client of Mallard's public API (docs/openapi.json), on openapi-fetch: every call's
 * path, parameters, body and answer are typed, and an error answer's `error` is its problem+json.
 *
 * - Signs each request with the bearer token.
 * - Gives every call of an operation that takes an Idempotency-Key a fresh one, unless the call
 *   names its own: the retries of one call share it, so the gateway applies the call once.
 * - Retries only what is safe to send twice, after a network failure, a 429 or 503, or an
 *   answer carrying Retry-After, waiting as long as the gateway asks.
 */
export function createMallardClient(options: MallardClientOptions): MallardClient {
  const policy = options.retry === false ? NO_RETRY : { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: retryingFetch(policy, options.fetch ?? ((request) => globalThis.fetch(request))),
  });
  client.use(bearerToken(options.token), idempotencyKeys(options.idempotencyKey ?? (() => crypto.randomUUID())));
  return client;
}

function bearerToken(token: MallardClientOptions['token']): Middleware {
  return {
    async onRequest({ request }) {
      const value = typeof token === 'function' ? await token() : token;
      if (value && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${value}`);
      return request;
    },
  };
}

function idempotencyKeys(makeKey: () => string): Middleware {
  const takingKey = new Set(OPERATIONS_TAKING_IDEMPOTENCY_KEY);
  return {
    onRequest({ request, schemaPath }) {
      if (takingKey.has(`${request.method.toUpperCase()} ${schemaPath}`) && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', makeKey());
      }
      return request;
    },
  };
}
