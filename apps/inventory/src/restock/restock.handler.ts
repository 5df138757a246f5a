import { RestockRequestedV1, ReturnInspectedV1, replacementRestockRequested, restockRequested, returnInspected } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { RestockService } from './restock.service.js';

@Controller()
export class RestockHandler {
  constructor(private readonly restocks: RestockService) {}

  @OnEvent(restockRequested)
  restock(@Payload() request: RestockRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.restocks.restock(context.manager, request);
  }

  /** After-sales' replacement.restock-requested: an exchange's replacement that came back, booked like orders' restocks. */
  @OnEvent(replacementRestockRequested)
  replacementRestock(@Payload() request: RestockRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.restocks.restock(context.manager, request);
  }

  @OnEvent(returnInspected)
  returnInspected(@Payload() inspection: ReturnInspectedV1, @Ctx() context: EventContext): Promise<void> {
    return this.restocks.returnInspected(context.manager, inspection);
  }
}
