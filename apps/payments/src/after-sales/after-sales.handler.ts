import { AfterSalesRefundRequestedV1, afterSalesRefundRequested } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EventRefunds } from '../refunds/event-refunds.js';

/** The reason every after-sales refund carries (refund row, payment log, refund.succeeded / refund.failed). */
export const AFTER_SALES_REFUND_REASON = 'AFTER_SALES';

/**
 * What payments takes from after-sales: an approved request's refund, given back along the
 * original route exactly like orders' refund.requested, and answered the same way
 * (refund.succeeded / refund.failed under the request's refundId, `after-sales:<requestId>`).
 * The amount is after-sales' to calculate; payments only refuses what it cannot give back.
 */
@Controller()
export class AfterSalesEventsHandler {
  constructor(private readonly refunds: EventRefunds) {}

  @OnEvent(afterSalesRefundRequested)
  onRefundRequested(@Payload() event: AfterSalesRefundRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.refunds.request(context.manager, {
      refundKey: event.refundId,
      orderId: event.orderId,
      amountMinor: event.amountMinor,
      currency: event.currency,
      reason: AFTER_SALES_REFUND_REASON,
    });
  }
}
