import { WebhookAcknowledgement } from '@mallard/contracts';
import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/index.js';
import { ApiProblems } from '../edge/api-problems.js';
import { type RequestWithRawBody, rawBodyOf } from '../edge/raw-body.js';
import { WebhookRelay } from './webhook-relay.js';
import { webhookProblem } from './webhooks.controller.js';

export const CARRIER_WEBHOOK_PROVIDERS = ['aftership', 'kuaidi100', 'easypost', 'platform', 'warehouse'] as const;

/** The headers a tracking provider signs with or that describe the body; nothing else is passed on. */
const FORWARDED_HEADERS = [
  'content-type',
  'aftership-hmac-sha256',
  'x-hmac-signature',
  'platform-signature',
  'warehouse-signature',
  'user-agent',
] as const;

const TRACKING_BODY = {
  required: true,
  description:
    'The provider’s notification, byte for byte as signed: AfterShip and EasyPost send JSON (signed in `aftership-hmac-sha256` or ' +
    '`x-hmac-signature`), Kuaidi100 a form whose `sign` is the MD5 of `param` and the salt; the third-party platform and our warehouse ' +
    'system send JSON in our formats, signed with a timestamp (`platform-signature`, `warehouse-signature`). Formats and mappings: docs/logistics-webhooks.md.',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        additionalProperties: true,
        description: 'AfterShip tracking_update, EasyPost tracker.updated, platform parcel.status or warehouse shipped',
      },
      example: {
        event: 'tracking_update',
        event_id: 'evt-1',
        msg: { tracking_number: 'SF1234567890', slug: 'sf-express', tag: 'InTransit' },
      },
    },
    'application/x-www-form-urlencoded': {
      schema: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Kuaidi100 subscription push',
        properties: { param: { type: 'string' }, sign: { type: 'string' } },
        required: ['param', 'sign'],
      },
    },
  },
};

/**
 * POST /api/v1/webhooks/carriers/:provider — public, authenticated by signature: the raw body
 * goes byte for byte to logistics, which holds the secrets, verifies, keeps the tracking
 * history and moves the parcel. The provider gets logistics' acknowledgement as it is.
 */
@ApiTags('webhooks')
@Public()
@Controller('api/v1/webhooks/carriers')
export class CarrierWebhooksController {
  constructor(private readonly relay: WebhookRelay) {}

  @Post(':provider')
  @ApiOperation({
    summary: 'Carrier tracking update, platform parcel update or warehouse shipment (verified by the sender’s signature)',
    description:
      'Open: providers send no bearer token; logistics verifies the signature and answers 401 `webhook-signature-invalid` to a forgery ' +
      '(nothing changes), 400 `webhook-unusable` to a signed update it cannot read. A repeated notification has one effect; an update ' +
      'for a tracking number no parcel has yet is kept and applied when the parcel is handed over. The platform’s and the warehouse ' +
      'system’s reports make the parcels they name.',
    requestBody: TRACKING_BODY,
  })
  @ApiParam({ name: 'provider', enum: CARRIER_WEBHOOK_PROVIDERS })
  @ApiExtraModels(WebhookAcknowledgement)
  @ApiOkResponse({
    description:
      'Recorded: AfterShip, EasyPost, the platform and the warehouse system get `{"received":true}`, Kuaidi100 its `{"result":true,"returnCode":"200",…}`',
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
  })
  @ApiResponse(webhookProblem(401, 'The signature does not verify (`webhook-signature-invalid`); nothing was changed'))
  @ApiResponse(webhookProblem(404, 'No such tracking provider (`unknown-tracking-provider`)'))
  @ApiResponse(webhookProblem(415, 'The body is neither JSON nor a form'))
  @ApiProblems(413)
  async receive(
    @Param('provider') provider: string,
    @Req() request: RequestWithRawBody & { headers: Record<string, string | string[] | undefined> },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.relay.relay(
      reply,
      'logistics',
      `/internal/webhooks/carriers/${encodeURIComponent(provider)}`,
      rawBodyOf(request),
      request.headers,
      FORWARDED_HEADERS,
    );
  }
}
