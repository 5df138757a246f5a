import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a local stand-in for a provider received. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ProviderAnswer {
  status: number;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface LocalProviderServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A provider's API on a free local port, for tests: there is no internet here, so each adapter is
 * run against this instead. `answer` replies as the provider would; the test then checks what
 * was received against the provider's documented request.
 */
export async function startLocalProviderServer(answer: (request: ReceivedRequest) => ProviderAnswer): Promise<LocalProviderServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const reply = answer(request);
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      outgoing.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      outgoing.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A local port nothing listens on: the adapter's "provider unreachable". */
export async function closedPortUrl(): Promise<string> {
  const server = await startLocalProviderServer(() => ({ status: 200 }));
  await server.close();
  return server.url;
}
