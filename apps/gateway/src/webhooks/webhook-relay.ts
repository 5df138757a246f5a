import { CORRELATION_HEADER, currentCorrelationId } from '@mallard/platform';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GatewayConfig } from '../config/gateway-config.js';
import { upstreamProblems } from '../upstream/upstream.problems.js';
import { type UpstreamService, Upstreams } from '../upstream/upstreams.js';

/**
 * Hands a provider's webhook to the service that verifies it: the raw body byte for byte, with
 * only the headers the provider signs with or that describe the body, under a service token;
 * the provider gets the service's answer as it is (its acknowledgement, or 401 for a forgery).
 */
@Injectable()
export class WebhookRelay {
  constructor(
    private readonly config: GatewayConfig,
    private readonly upstreams: Upstreams,
  ) {}

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
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    const target = new URL(path, service === 'payments' ? this.config.PAYMENTS_URL : this.config.LOGISTICS_URL);
    headers.authorization = this.upstreams.authorization(service, 'POST', target.pathname + target.search);
    let response: Response;
    try {
      response = await fetch(target, { method: 'POST', headers, body: rawBody, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      // The provider retries a webhook that was not acknowledged.
      throw upstreamProblems.backOfficeUnavailable(service, error, {
        detail: `${service} did not answer; the webhook will be retried by the provider`,
        retryAfterSeconds: 5,
      });
    }
    const body = Buffer.from(await response.arrayBuffer());
    await reply
      .status(response.status)
      .header('content-type', response.headers.get('content-type') ?? 'application/json')
      .send(body);
  }
}
