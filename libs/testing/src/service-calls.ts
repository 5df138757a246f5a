import { randomBytes } from 'node:crypto';
import { CALLER_HEADERS, callerFromHeaders, ROLES_HEADER, type ServiceCaller, ServiceTokens } from '@mallard/platform';

/**
 * The service-token key of this test file's services (startTestService passes it as
 * SERVICE_TOKEN_SECRET): new per file, so no test depends on a key written anywhere.
 */
export const TEST_SERVICE_TOKEN_SECRET = `test-service-token-${randomBytes(24).toString('hex')}`;

const testServiceTokens = new ServiceTokens(TEST_SERVICE_TOKEN_SECRET);

/** Which service answers at an origin (`http://127.0.0.1:PORT`): filled by startTestService. */
const internalServiceAt = new Map<string, string>();

export function registerInternalService(url: string, serviceName: string): void {
  internalServiceAt.set(new URL(url).origin, serviceName);
}

/** A service token as the gateway would sign it, for one request to `audience`. */
export function mintServiceToken(
  audience: string,
  method: string,
  path: string,
  caller: ServiceCaller = {},
  secret = TEST_SERVICE_TOKEN_SECRET,
): string {
  const tokens = secret === TEST_SERVICE_TOKEN_SECRET ? testServiceTokens : new ServiceTokens(secret);
  return tokens.sign({ audience, method, path, caller });
}

/**
 * `fetch`, signed like the gateway signs its internal calls: for tests that call a service
 * directly. A request to a service started by startTestService gets a service token for that
 * service and that request, with the caller headers (x-mallard-buyer, x-mallard-actor,
 * x-mallard-order, x-mallard-roles, idempotency-key) moved inside it; anything else (the gateway, a fake
 * provider) goes out unchanged. A test that wants its own Authorization header keeps it.
 */
export function serviceFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const url = new URL(String(input));
  const audience = internalServiceAt.get(url.origin);
  const headers = new Headers(init.headers);
  if (audience === undefined || headers.has('authorization')) return fetch(input, init);
  const loose: Record<string, string | undefined> = {};
  for (const name of CALLER_HEADERS) {
    loose[name] = headers.get(name) ?? undefined;
    headers.delete(name);
  }
  const roles = loose[ROLES_HEADER]?.split(',').filter(Boolean);
  const token = mintServiceToken(audience, init.method ?? 'GET', url.pathname + url.search, callerFromHeaders(loose, roles));
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

export interface SigningRelay {
  url: string;
  close(): Promise<void>;
}

/**
 * A stand-in for the gateway's webhook route, for tests without a gateway: whatever is POSTed
 * to it is forwarded, path and body unchanged, to `target` with serviceFetch (so with a
 * service token), and the answer comes back as is. Payments' sandbox posts its callbacks here.
 */
export async function startSigningRelay(target: string): Promise<SigningRelay> {
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length', 'authorization'].includes(name)) headers[name] = value;
      }
      serviceFetch(new URL(request.url ?? '/', target), {
        method: request.method,
        headers,
        body: request.method === 'GET' ? undefined : Buffer.concat(chunks),
      })
        .then(async (answer) => {
          response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => {
          response.writeHead(502);
          response.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A service's answer, its body parsed from JSON (undefined when empty). */
export interface ServiceResponse<T = any> {
  status: number;
  contentType: string;
  headers: Headers;
  body: T;
}

/** One JSON request to a service started by startTestService, signed like the gateway's (serviceFetch). */
export async function callService<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ServiceResponse<T>> {
  const response = await serviceFetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}
