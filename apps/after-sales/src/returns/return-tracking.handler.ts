import { ReturnParcelStateChangedV1, returnParcelStateChanged } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ReturnsService } from './returns.service.js';

/** Logistics' word on where a return parcel is, by its carrier's tracking. */
@Controller()
export class ReturnTrackingHandler {
  constructor(private readonly returns: ReturnsService) {}

  @OnEvent(returnParcelStateChanged)
  changed(@Payload() change: ReturnParcelStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.returns.trackingChanged(context.manager, change);
  }
}
