import { ParcelStateChangedV1, parcelStateChanged, SubOrderStateChangedV1, subOrderStateChanged } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CompensationService } from './compensation.service.js';

/** Logistics' news that undoes part of a paid order: a stopped sub-order, a refused or returned parcel. */
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
}
