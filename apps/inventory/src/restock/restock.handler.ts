import { RestockRequestedV1, restockRequested } from '@mallard/contracts';
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
}
