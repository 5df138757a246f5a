import { BUYER_HEADER } from '@mallard/platform';
import { Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import type { OrderView } from '../order/order.view.js';
import { CancelOrderService } from './cancel.service.js';

/** A shopper's cancel; the gateway exposes it as POST /api/v1/orders/:id/cancel. */
@Controller('internal/orders')
export class CancelController {
  constructor(private readonly cancellation: CancelOrderService) {}

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', new ParseUUIDPipe()) orderId: string, @Headers(BUYER_HEADER) buyerId: string | undefined): Promise<OrderView> {
    return this.cancellation.cancel(orderId, buyerId);
  }
}
