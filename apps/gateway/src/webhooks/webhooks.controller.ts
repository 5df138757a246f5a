import { WebhookAcknowledgement } from '@mallard/contracts';
import { PROBLEM_CONTENT_TYPE } from '@mallard/platform';
import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  type ApiResponseOptions,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { type RequestWithRawBody, rawBodyOf } from '../edge/raw-body.js';
import { WebhookRelay } from './webhook-relay.js';
import { webhookProblems } from './webhooks.problems.js';

export const WEBHOOK_PROVIDERS = ['sandbox', 'stripe', 'alipay'] as const;

/** The headers a provider signs with or that describe the body; nothing else is passed on. */
const FORWARDED_HEADERS = ['content-type', 'stripe-signature', 'sandbox-signature', 'user-agent'] as const;

/**
 * What each provider posts. The gateway does not read it: payments verifies the signature over
 * these bytes and knows each provider's fields, so the schemas only say how the body is encoded.
 */
const CALLBACK_BODY = {
  required: true,
  description:
    'The provider’s notification, byte for byte as signed: sandbox and Stripe send JSON (signed in the `sandbox-signature` or ' +
    '`stripe-signature` header), Alipay sends a form whose `sign` field covers the others.',
  content: {
    'application/json': {
      schema: { type: 'object', additionalProperties: true, description: 'Sandbox or Stripe event' },
      example: { id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } },
    },
    'application/x-www-form-urlencoded': {
      schema: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Alipay notification',
        properties: { notify_id: { type: 'string' }, trade_status: { type: 'string' }, sign: { type: 'string' } },
        required: ['sign'],
      },
    },
  },
};

/** A problem answer whose meaning differs for a provider from the one ApiProblems gives staff and shoppers. */
export function webhookProblem(status: number, description: string): ApiResponseOptions {
  return { status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
}

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
  constructor(private readonly relay: WebhookRelay) {}

  @Post(':provider')
  @ApiOperation({
    summary: 'Payment provider callback (verified by the provider’s signature)',
    description:
      'Open: providers send no bearer token; payments verifies the signature and answers 401 `webhook-signature-invalid` to a forgery ' +
      '(nothing changes), 400 `webhook-unusable` to a signed callback it cannot apply. A repeated notification is answered as the first.',
    requestBody: CALLBACK_BODY,
  })
  @ApiParam({ name: 'provider', enum: WEBHOOK_PROVIDERS })
  @ApiExtraModels(WebhookAcknowledgement)
  @ApiOkResponse({
    description: 'Recorded: sandbox and Stripe get JSON, Alipay the text `success` it waits for',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(WebhookAcknowledgement) } },
      'text/plain': { schema: { type: 'string', enum: ['success'], example: 'success' } },
    },
  })
  @ApiResponse(webhookProblem(401, 'The signature does not verify (`webhook-signature-invalid`); nothing was changed'))
  @ApiResponse(webhookProblem(404, 'No such provider (`unknown-provider`)'))
  @ApiResponse(webhookProblem(415, 'The body is neither JSON nor a form'))
  @ApiProblems(413)
  async receive(
    @Param('provider') provider: string,
    @Req() request: RequestWithRawBody & { headers: Record<string, string | string[] | undefined> },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!(WEBHOOK_PROVIDERS as readonly string[]).includes(provider)) {
      throw webhookProblems.unknownProvider(provider);
    }
    await this.relay.relay(reply, 'payments', `/internal/webhooks/${provider}`, rawBodyOf(request), request.headers, FORWARDED_HEADERS);
  }
}
