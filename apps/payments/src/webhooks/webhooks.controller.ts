import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { webhookProblems } from './webhooks.problems.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * POST /internal/webhooks/:provider — what the gateway's public webhook route forwards: the
 * provider's raw body, byte for byte, with its content type and signature headers. Answers what
 * the provider expects (`success` for Alipay) once the callback is recorded, 401 for a forgery.
 */
@Controller('internal/webhooks')
export class WebhooksController {
  constructor(private readonly intake: WebhooksService) {}

  @Post(':provider')
  @HttpCode(200)
  async receive(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!Buffer.isBuffer(request.rawBody) || request.rawBody.length === 0) {
      throw webhookProblems.bodyRequired();
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value[0] : value;
    const result = await this.intake.receive(provider, request.rawBody, headers);
    await reply
      .status(200)
      .header('content-type', result.ack.contentType)
      .header('x-mallard-webhook-outcome', result.outcome.slice(0, 100))
      .send(result.ack.body);
  }
}
