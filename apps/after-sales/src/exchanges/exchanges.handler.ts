import {
  ReplacementStockUnavailableV1,
  replacementStockUnavailable,
  SubOrderStateChangedV1,
  subOrderStateChanged,
} from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ExchangesService } from './exchanges.service.js';

/** Inventory's and logistics' word on the replacements of exchanges. */
@Controller()
export class ExchangesHandler {
  constructor(private readonly exchanges: ExchangesService) {}

  @OnEvent(replacementStockUnavailable)
  unavailable(@Payload() event: ReplacementStockUnavailableV1, @Ctx() context: EventContext): Promise<void> {
    return this.exchanges.unavailable(context.manager, event);
  }

  @OnEvent(subOrderStateChanged)
  subOrderChanged(@Payload() change: SubOrderStateChangedV1, @Ctx() context: EventContext): Promise<void> {
    return this.exchanges.subOrderChanged(context.manager, change);
  }
}
