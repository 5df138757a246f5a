import { OrderCancelledV1, OrderPlacedV1, orderCancelled, orderPlaced, RefundRequestedV1, refundRequested } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PaymentOutcomes } from '../payment/payment-outcomes.js';
import { EventRefunds } from '../refunds/event-refunds.js';
import { recordCancelledOrder, recordPlacedOrder } from './placed-order.js';

/** What payments takes from orders: which orders may be paid, for how much, and refund requests. */
@Controller()
export class OrderEventsHandler {
  constructor(
    private readonly outcomes: PaymentOutcomes,
    private readonly refunds: EventRefunds,
  ) {}

  @OnEvent(orderPlaced)
  async onOrderPlaced(@Payload() event: OrderPlacedV1, @Ctx() context: EventContext): Promise<void> {
    await recordPlacedOrder(context.manager, event);
  }

  @OnEvent(orderCancelled)
  async onOrderCancelled(@Payload() event: OrderCancelledV1, @Ctx() context: EventContext): Promise<void> {
    await recordCancelledOrder(context.manager, event.orderId, event.reason);
    await this.outcomes.cancelOpenPayments(context.manager, event.orderId, event.reason);
  }

  @OnEvent(refundRequested)
  onRefundRequested(@Payload() event: RefundRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.refunds.request(context.manager, {
      refundKey: event.refundId,
      orderId: event.orderId,
      paymentId: event.paymentId,
      amountMinor: event.amountMinor,
      currency: event.currency,
      reason: event.reason,
    });
  }
}
