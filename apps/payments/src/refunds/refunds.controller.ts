import { RefundOrderRequest } from '@mallard/contracts';
import { ACTOR_HEADER } from '@mallard/platform';
import { Body, Controller, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { RefundView } from './refund.view.js';
import { RefundWorker } from './refund.worker.js';
import { RefundService } from './refunds.service.js';

/** Staff refunds; the gateway exposes them under /api/v1/admin. */
@Controller('internal')
export class RefundsController {
  constructor(
    private readonly refunds: RefundService,
    private readonly worker: RefundWorker,
  ) {}

  /** A staff refund: 201 when made (or started), 200 for a repeat of the same refundId. */
  @Post('orders/:orderId/refunds')
  async refund(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Headers(ACTOR_HEADER) actor: string | undefined,
    @Body() request: RefundOrderRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundView> {
    const outcome = await this.refunds.requestByStaff(orderId, request, actor ?? null);
    if (outcome.needsDispatch) this.worker.wake();
    void reply.status(outcome.created ? 201 : 200);
    return this.refunds.view(outcome.refund.id);
  }
}
