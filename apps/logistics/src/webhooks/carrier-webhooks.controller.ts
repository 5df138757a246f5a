import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isShipmentReporter, ShipmentReportsService } from '../fulfilment/shipment-reports.service.js';
import { trackingProblems } from '../tracking/tracking.problems.js';
import { TrackingService } from '../tracking/tracking.service.js';

/**
 * POST /internal/webhooks/carriers/:provider — what the gateway's public carrier webhook route
 * forwards: the provider's raw body, byte for byte, with its signature headers. Carriers' tracking
 * services report on parcels (tracking/); the platform and our warehouse system bring parcels too
 * (fulfilment/). Answers the acknowledgement the provider expects once the report is recorded,
 * 401 for a forgery.
 */
@Controller('internal/webhooks/carriers')
export class CarrierWebhooksController {
  constructor(
    private readonly tracking: TrackingService,
    private readonly shipments: ShipmentReportsService,
  ) {}

  @Post(':provider')
  @HttpCode(200)
  async receive(
    @Param('provider') provider: string,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!Buffer.isBuffer(request.rawBody) || request.rawBody.length === 0) throw trackingProblems.bodyRequired();
    const result = isShipmentReporter(provider)
      ? await this.shipments.receive(provider, request.rawBody, request.headers)
      : await this.tracking.receive(provider, request.rawBody, request.headers);
    await reply
      .status(200)
      .header('content-type', result.ack.contentType)
      .header('x-mallard-webhook-outcome', result.outcome)
      .send(result.ack.body);
  }
}
