import { OrderSplitV2, orderSplitV2 } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { SubOrdersService } from './sub-orders.service.js';

/** The order events that bring sub-orders to logistics. */
@Controller()
export class SubOrdersHandler {
  constructor(private readonly subOrders: SubOrdersService) {}

  @OnEvent(orderSplitV2)
  split(@Payload() split: OrderSplitV2, @Ctx() context: EventContext): Promise<void> {
    return this.subOrders.takeOn(context.manager, split);
  }
}
