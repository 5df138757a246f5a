import { OrderInterceptionRequestedV1, orderInterceptionRequested } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InterceptionService } from './interception.service.js';

/** A shopper's cancel of a paid, split order reaches its sub-orders. */
@Controller()
export class InterceptionHandler {
  constructor(private readonly interception: InterceptionService) {}

  @OnEvent(orderInterceptionRequested)
  requested(@Payload() request: OrderInterceptionRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.interception.requested(context.manager, request);
  }
}
