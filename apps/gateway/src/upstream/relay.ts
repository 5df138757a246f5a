import type { FastifyReply } from 'fastify';
import type { UpstreamResponse } from './upstreams.js';

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
