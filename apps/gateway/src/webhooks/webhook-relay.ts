import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { upstreamProblems } from '../upstream/upstream.problems.js';
import { type UpstreamService, Upstreams } from '../upstream/upstreams.js';

/**
 * Hands a provider's webhook to the service that verifies it: the raw body byte for byte, with
 * only the headers the provider signs with or that describe the body, under a service token;
 * the provider gets the service's answer as it is (its acknowledgement, or 401 for a forgery).
 */
@Injectable()
export class WebhookRelay {
  constructor(private readonly upstreams: Upstreams) {}

  async relay(
    reply: FastifyReply,
    service: Extract<UpstreamService, 'payments' | 'logistics'>,
    path: string,
    rawBody: Buffer,
    requestHeaders: Record<string, string | string[] | undefined>,
    forwarded: readonly string[],
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of forwarded) {
      const value = requestHeaders[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value[0] : value;
    }
    let response: { status: number; contentType: string; body: Buffer };
    try {
      response = await this.upstreams.postRaw(service, path, rawBody, headers);
    } catch (error) {
      // The provider retries a webhook that was not acknowledged.
      throw upstreamProblems.backOfficeUnavailable(service, error, {
        detail: `${service} did not answer; the webhook will be retried by the provider`,
        retryAfterSeconds: 5,
      });
    }
    await reply.status(response.status).header('content-type', response.contentType).send(response.body);
  }
}
