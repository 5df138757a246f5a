import { CORRELATION_HEADER, currentCorrelationId } from '@mallard/platform';
import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/index.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { type RequestWithRawBody, rawBodyOf } from '../edge/raw-body.js';
import { upstreamProblems } from '../upstream/upstream.problems.js';
import { Upstreams } from '../upstream/upstreams.js';
import { webhookProblems } from './webhooks.problems.js';

export const WEBHOOK_PROVIDERS = ['sandbox', 'stripe', 'alipay'] as const;

/** The headers a provider signs with or that describe the body; nothing else is passed on. */
const FORWARDED_HEADERS = ['content-type', 'stripe-signature', 'sandbox-signature', 'user-agent'] as const;

/**
 * POST /api/v1/webhooks/payments/:provider — public (providers have no bearer token; they are
 * authenticated by signature). The raw body is forwarded byte for byte with its signature
 * headers to payments, which holds the secrets and verifies them: a forgery is answered 401 and
 * changes nothing. The provider gets payments' answer as it is (`success` for Alipay).
 */
@ApiTags('webhooks')
@Public()
@Controller('api/v1/webhooks/payments')
export class PaymentWebhooksController {
  constructor(
    private readonly config: GatewayConfig,
    private readonly upstreams: Upstreams,
  ) {}

  @Post(':provider')
  @ApiOperation({ summary: 'Payment provider callback (verified by the provider’s signature)' })
  @ApiParam({ name: 'provider', enum: WEBHOOK_PROVIDERS })
  async receive(
    @Param('provider') provider: string,
    @Req() request: RequestWithRawBody & { headers: Record<string, string | string[] | undefined> },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!(WEBHOOK_PROVIDERS as readonly string[]).includes(provider)) {
      throw webhookProblems.unknownProvider(provider);
    }
    const raw = rawBodyOf(request);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value[0] : value;
    }
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    const target = new URL(`/internal/webhooks/${provider}`, this.config.PAYMENTS_URL);
    // Payments answers internal routes only to the gateway (service token), webhooks included.
    headers.authorization = this.upstreams.authorization('payments', 'POST', target.pathname + target.search);
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers,
        body: raw,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      // The provider retries a callback that was not acknowledged.
      throw upstreamProblems.backOfficeUnavailable('payments', error, {
        detail: 'payments did not answer; the callback will be retried by the provider',
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
