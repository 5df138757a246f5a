import type { FastifyReply } from 'fastify';
import type { RawUpstreamResponse, UpstreamResponse } from './upstreams.js';

/**
 * Answers with what the service answered: its status, and its body (a problem+json stays a
 * problem+json, so the service's precise error reaches the caller unchanged).
 */
export function relay<T>(reply: FastifyReply, response: UpstreamResponse<T>): T {
  void reply.status(response.status);
  if (response.contentType.includes('problem+json')) void reply.header('content-type', response.contentType);
  if (response.retryAfter !== undefined) void reply.header('retry-after', response.retryAfter);
  return response.body;
}

/**
 * Answers with the service's status, content type and bytes as they are (a file, or a problem+json
 * that stays one); `successHeaders` go only on a 2xx, e.g. the caching a file may have.
 */
export async function relayRaw(
  reply: FastifyReply,
  response: RawUpstreamResponse,
  successHeaders: Record<string, string> = {},
): Promise<void> {
  void reply.status(response.status).header('content-type', response.contentType);
  if (response.retryAfter !== undefined) void reply.header('retry-after', response.retryAfter);
  if (response.status >= 200 && response.status < 300) void reply.headers(successHeaders);
  await reply.send(response.body);
}
