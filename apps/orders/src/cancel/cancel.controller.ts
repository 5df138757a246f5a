import { BUYER_HEADER } from '@mallard/platform';
import { Controller, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OrderView } from '../order/order.view.js';
import { CancelOrderService } from './cancel.service.js';

/**
 * A shopper's cancel; the gateway exposes it as POST /api/v1/orders/:id/cancel. 200 with the closed
 * order before payment; 202 after payment, when the sub-orders are being asked to stop.
 */
@Controller('internal/orders')
export class CancelController {
  constructor(private readonly cancellation: CancelOrderService) {}

  @Post(':id/cancel')
  async cancel(
    @Param('id', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const { outcome, order } = await this.cancellation.cancel(orderId, buyerId);
    void reply.status(outcome === 'INTERCEPTION_REQUESTED' ? 202 : 200);
    return order;
  }
}
