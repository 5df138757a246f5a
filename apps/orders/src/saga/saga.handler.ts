import {
  PaymentSucceededV1,
  paymentSucceeded,
  StockDeductedV1,
  StockDeductionFailedV1,
  StockReleasedV1,
  StockReservationFailedV1,
  StockReservedV1,
  stockDeducted,
  stockDeductionFailed,
  stockReleased,
  stockReservationFailed,
  stockReserved,
} from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderSaga } from './saga.service.js';

/** The events that move an order along; each is applied in its own transaction, once. */
@Controller()
export class OrderSagaHandler {
  constructor(private readonly saga: OrderSaga) {}

  @OnEvent(stockReserved)
  onStockReserved(@Payload() event: StockReservedV1, @Ctx() context: EventContext): Promise<void> {
    return this.saga.stockReserved(context.manager, event.orderId, event.allocations, new Date(event.expiresAt));
  }

  @OnEvent(stockReservationFailed)
  onStockReservationFailed(@Payload() event: StockReservationFailedV1, @Ctx() context: EventContext): Promise<void> {
    return this.saga.stockUnavailable(context.manager, event.orderId);
  }

  @OnEvent(stockReleased)
  async onStockReleased(@Payload() event: StockReleasedV1, @Ctx() context: EventContext): Promise<void> {
    if (event.reason === 'HOLD_EXPIRED') await this.saga.holdExpired(context.manager, event.orderId);
  }

  @OnEvent(paymentSucceeded)
  onPaymentSucceeded(@Payload() event: PaymentSucceededV1, @Ctx() context: EventContext): Promise<void> {
    return this.saga.paymentSucceeded(context.manager, event, context.event.id);
  }

  @OnEvent(stockDeducted)
  onStockDeducted(@Payload() event: StockDeductedV1, @Ctx() context: EventContext): Promise<void> {
    return this.saga.stockDeducted(context.manager, event.orderId, event.allocations);
  }

  @OnEvent(stockDeductionFailed)
  onStockDeductionFailed(@Payload() event: StockDeductionFailedV1, @Ctx() context: EventContext): Promise<void> {
    return this.saga.stockDeductionFailed(context.manager, event.orderId);
  }
}
