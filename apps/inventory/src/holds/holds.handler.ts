import { OrderCancelledV1, OrderPaidV1, OrderPlacedV1, orderCancelled, orderPaid, orderPlaced } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { HoldsService } from './holds.service.js';

/** The order events inventory acts on; each runs in the transaction that records it in the inbox. */
@Controller()
export class HoldsHandler {
  constructor(private readonly holds: HoldsService) {}

  @OnEvent(orderPlaced)
  placed(@Payload() order: OrderPlacedV1, @Ctx() context: EventContext): Promise<void> {
    return this.holds.orderPlaced(context.manager, order);
  }

  @OnEvent(orderCancelled)
  cancelled(@Payload() event: OrderCancelledV1, @Ctx() context: EventContext): Promise<void> {
    return this.holds.orderCancelled(context.manager, event);
  }

  @OnEvent(orderPaid)
  paid(@Payload() event: OrderPaidV1, @Ctx() context: EventContext): Promise<void> {
    return this.holds.orderPaid(context.manager, event);
  }
}
