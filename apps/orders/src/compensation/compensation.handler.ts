import {
  AfterSalesRefundRequestedV1,
  AfterSalesRequestChangedV1,
  afterSalesClosed,
  afterSalesRefundRequested,
  ParcelStateChangedV1,
  parcelStateChanged,
  SubOrderStateChangedV1,
  subOrderStateChanged,
} from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CompensationService } from './compensation.service.js';

/**
 * News that undoes part of a paid order: from logistics a stopped sub-order, a refused or returned
 * parcel; from after-sales a refund it gave, which those must not give again (or, closed unpaid, gave not).
 */
@Controller()
export class CompensationHandler {
  constructor(private readonly compensation: CompensationService) {}

  @OnEvent(subOrderStateChanged)
  subOrderChanged(@Payload() event: SubOrderStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.compensation.subOrderChanged(context.manager, event);
  }

  @OnEvent(parcelStateChanged)
  parcelChanged(@Payload() event: ParcelStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.compensation.parcelChanged(context.manager, event);
  }

  @OnEvent(afterSalesRefundRequested)
  afterSalesRefundRequested(@Payload() event: AfterSalesRefundRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.compensation.afterSalesRefundRequested(context.manager, event);
  }

  @OnEvent(afterSalesClosed)
  afterSalesClosed(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.compensation.afterSalesClosed(context.manager, event);
  }
}
