import { ExchangeRequestedV1, exchangeRequested } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ExchangeService } from './exchange.service.js';

@Controller()
export class ExchangeHandler {
  constructor(private readonly exchanges: ExchangeService) {}

  @OnEvent(exchangeRequested)
  exchangeRequested(@Payload() exchange: ExchangeRequestedV1, @Ctx() context: EventContext): Promise<void> {
    return this.exchanges.exchangeRequested(context.manager, exchange);
  }
}
