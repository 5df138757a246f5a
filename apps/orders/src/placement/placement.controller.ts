import { PlaceOrderRequest } from '@mallard/contracts';
import { BUYER_HEADER, requireBuyer, requireIdempotencyKey } from '@mallard/platform';
import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OrderView } from '../order/order.view.js';
import { PlacementService } from './placement.service.js';

/** Placing an order; the gateway exposes it as POST /api/v1/orders. */
@Controller('internal/orders')
export class PlacementController {
  constructor(private readonly placement: PlacementService) {}

  /** 201 for a new order, 200 for a retry that answers with the order its Idempotency-Key placed. */
  @Post()
  async place(
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() request: PlaceOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const result = await this.placement.place(requireBuyer(buyerId), requireIdempotencyKey(idempotencyKey), request);
    void reply.status(result.created ? 201 : 200);
    return result.order;
  }
}
