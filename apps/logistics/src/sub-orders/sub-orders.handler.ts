import { OrderSplitV2, orderSplitV2, ReplacementStockDeductedV1, replacementStockDeducted } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { SubOrdersService } from './sub-orders.service.js';

/** The events that bring sub-orders to logistics: the split of a paid order, the replacement of an exchange. */
@Controller()
export class SubOrdersHandler {
  constructor(private readonly subOrders: SubOrdersService) {}

  @OnEvent(orderSplitV2)
  split(@Payload() split: OrderSplitV2, @Ctx() context: EventContext): Promise<void> {
    return this.subOrders.takeOn(context.manager, split);
  }

  @OnEvent(replacementStockDeducted)
  replacement(@Payload() replacement: ReplacementStockDeductedV1, @Ctx() context: EventContext): Promise<void> {
    return this.subOrders.takeOnReplacement(context.manager, replacement);
  }
}
