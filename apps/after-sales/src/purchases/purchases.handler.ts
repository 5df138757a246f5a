import {
  OrderCompensatedV1,
  OrderPurchaseRecordedV1,
  orderCompensated,
  orderPurchaseRecorded,
  ParcelStateChangedV1,
  parcelStateChanged,
} from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PurchasesService } from './purchases.service.js';

/** What orders and logistics report of an order, kept for judging and refunding its requests. */
@Controller()
export class PurchasesHandler {
  constructor(private readonly purchases: PurchasesService) {}

  @OnEvent(orderPurchaseRecorded)
  recorded(@Payload() record: OrderPurchaseRecordedV1, @Ctx() context: EventContext): Promise<void> {
    return this.purchases.recorded(context.manager, record);
  }

  @OnEvent(orderCompensated)
  compensated(@Payload() compensation: OrderCompensatedV1, @Ctx() context: EventContext): Promise<void> {
    return this.purchases.compensated(context.manager, compensation);
  }

  @OnEvent(parcelStateChanged)
  parcelChanged(@Payload() change: ParcelStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.purchases.parcelChanged(context.manager, change);
  }
}
