import {
  AfterSalesRequestChangedV1,
  afterSalesApproved,
  afterSalesClosed,
  afterSalesEvidenceAdded,
  afterSalesEvidenceRequested,
  afterSalesExchanged,
  afterSalesExchangeFailed,
  afterSalesInspected,
  afterSalesRefunded,
  afterSalesRejected,
  afterSalesRequested,
  afterSalesReturnReceived,
  afterSalesReturnShipped,
  OrderCancelledV1,
  OrderFailedV1,
  OrderInterceptionRequestedV1,
  OrderPaidV1,
  OrderPlacedV1,
  OrderSplitV2,
  orderCancelled,
  orderFailed,
  orderInterceptionRequested,
  orderPaid,
  orderPlaced,
  orderSplitV2,
  ParcelStateChangedV1,
  PlatformPurchaseFailedV1,
  parcelStateChanged,
  platformPurchaseFailed,
  RefundSucceededV1,
  refundSucceeded,
  SubOrderInterceptionRefusedV1,
  SubOrderStateChangedV1,
  subOrderInterceptionRefused,
  subOrderStateChanged,
} from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ReadModelService } from './read-model.service.js';

/**
 * The events the read model is made of: orders' states, logistics' sub-orders and parcels, payments'
 * refunds, after-sales' requests (every step carries the request as it now stands).
 */
@Controller()
export class ReadModelHandler {
  constructor(private readonly readModel: ReadModelService) {}

  @OnEvent(platformPurchaseFailed)
  purchaseFailed(@Payload() event: PlatformPurchaseFailedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.purchaseFailed(context.manager, event);
  }

  @OnEvent(orderInterceptionRequested)
  interceptionRequested(@Payload() event: OrderInterceptionRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.interceptionRequested(context.manager, event);
  }

  @OnEvent(subOrderInterceptionRefused)
  interceptionRefused(@Payload() event: SubOrderInterceptionRefusedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.interceptionRefused(context.manager, event);
  }

  @OnEvent(orderPlaced)
  placed(@Payload() event: OrderPlacedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.orderPlaced(context.manager, event);
  }

  @OnEvent(orderCancelled)
  cancelled(@Payload() event: OrderCancelledV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.orderMoved(context.manager, event.orderId, 'CANCELLED', event.reason);
  }

  @OnEvent(orderPaid)
  paid(@Payload() event: OrderPaidV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.orderMoved(context.manager, event.orderId, 'PAID', null);
  }

  @OnEvent(orderFailed)
  failed(@Payload() event: OrderFailedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.orderMoved(context.manager, event.orderId, 'FAILED', event.reason);
  }

  @OnEvent(orderSplitV2)
  split(@Payload() event: OrderSplitV2, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.orderSplit(context.manager, event);
  }

  @OnEvent(subOrderStateChanged)
  subOrder(@Payload() event: SubOrderStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.subOrderChanged(context.manager, event);
  }

  @OnEvent(parcelStateChanged)
  parcel(@Payload() event: ParcelStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.parcelChanged(context.manager, event);
  }

  @OnEvent(refundSucceeded)
  refunded(@Payload() event: RefundSucceededV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.refundSucceeded(context.manager, event);
  }

  @OnEvent(afterSalesRequested)
  afterSalesRequested(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesEvidenceRequested)
  afterSalesEvidenceRequested(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesEvidenceAdded)
  afterSalesEvidenceAdded(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesApproved)
  afterSalesApproved(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesRejected)
  afterSalesRejected(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesReturnShipped)
  afterSalesReturnShipped(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesReturnReceived)
  afterSalesReturnReceived(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesInspected)
  afterSalesInspected(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesRefunded)
  afterSalesRefunded(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesExchangeFailed)
  afterSalesExchangeFailed(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesExchanged)
  afterSalesExchanged(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }

  @OnEvent(afterSalesClosed)
  afterSalesClosed(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.readModel.afterSalesRequestChanged(context.manager, event);
  }
}
