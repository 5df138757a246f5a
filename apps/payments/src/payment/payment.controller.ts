import { PayOrderRequest } from '@mallard/contracts';
import { BUYER_HEADER, ORDER_SNAPSHOT_HEADER, requireBuyer, requireIdempotencyKey } from '@mallard/platform';
import { Body, Controller, Get, Headers, NotFoundException, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { parseOrderSnapshot } from '../orders/placed-order.js';
import { PaymentService } from './payment.service.js';
import type { PaymentView } from './payment.view.js';

/** Paying an order and reading a payment; the gateway exposes them under /api/v1. */
@Controller('internal')
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  /** 201 with the payment (SUCCEEDED, or PENDING with the provider's next step); a retry gets the first answer. */
  @Post('orders/:orderId/payments')
  async create(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers(ORDER_SNAPSHOT_HEADER) orderSnapshot: string | undefined,
    @Body() request: PayOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const key = requireIdempotencyKey(idempotencyKey);
    const buyer = requireBuyer(buyerId);
    const snapshot = orderSnapshot === undefined ? undefined : parseOrderSnapshot(orderSnapshot, orderId, buyer);
    const answer = await this.payments.payOrder(buyer, orderId, key, request, snapshot);
    void reply.status(answer.status);
    return answer.body;
  }

  /** The payment now; with a buyer header only that buyer's. */
  @Get('payments/:paymentId')
  async get(
    @Param('paymentId', new ParseUUIDPipe()) paymentId: string,
    @Headers(BUYER_HEADER) buyerId: string | undefined,
  ): Promise<PaymentView> {
    const payment = await this.payments.find(paymentId, buyerId);
    if (!payment) throw new NotFoundException(`no payment ${paymentId}`);
    return payment;
  }
}
