import { AfterSalesRequestChangedV1, afterSalesReturnShipped } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ReturnParcelsService } from './return-parcels.service.js';

/** After-sales' step that brings a return parcel to follow: the goods are on their way back. */
@Controller()
export class ReturnParcelsHandler {
  constructor(private readonly returnParcels: ReturnParcelsService) {}

  @OnEvent(afterSalesReturnShipped)
  shipped(@Payload() shipped: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.returnParcels.takeOn(context.manager, shipped);
  }
}
