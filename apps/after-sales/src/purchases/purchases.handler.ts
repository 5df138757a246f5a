import { OrderCompensatedV1, OrderPurchaseRecordedV1, orderCompensated, orderPurchaseRecorded } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PurchasesService } from './purchases.service.js';

/** What orders reports of an order, kept for judging and refunding its requests (its parcels: ExchangesHandler). */
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
}
