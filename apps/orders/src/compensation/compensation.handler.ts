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
import { InvoicingService } from '../invoicing/invoicing.service.js';
import { CompensationService } from './compensation.service.js';

/**
 * News that undoes part of a paid order: from logistics a stopped sub-order, a refused or returned
 * parcel; from after-sales a refund it gave, which those must not give again (or, closed unpaid, gave not).
 * Invoicing hears the same news here, after the compensation, in the same transaction: a parcel
 * delivered may make its sub-order's invoice due, and a refund's breakdown the credit notes it owes.
 */
@Controller()
export class CompensationHandler {
  constructor(
    private readonly compensation: CompensationService,
    private readonly invoicing: InvoicingService,
  ) {}

  @OnEvent(subOrderStateChanged)
  subOrderChanged(@Payload() event: SubOrderStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.compensation.subOrderChanged(context.manager, event);
  }

  @OnEvent(parcelStateChanged)
  async parcelChanged(@Payload() event: ParcelStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    await this.compensation.parcelChanged(context.manager, event);
    await this.invoicing.parcelChanged(context.manager, event);
  }

  @OnEvent(afterSalesRefundRequested)
  async afterSalesRefundRequested(@Payload() event: AfterSalesRefundRequestedV1, @Ctx() context: EventContext): Promise<void> {
    await this.compensation.afterSalesRefundRequested(context.manager, event);
    await this.invoicing.afterSalesRefundRecorded(context.manager, event.orderId);
  }

  @OnEvent(afterSalesClosed)
  afterSalesClosed(@Payload() event: AfterSalesRequestChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.compensation.afterSalesClosed(context.manager, event);
  }
}
