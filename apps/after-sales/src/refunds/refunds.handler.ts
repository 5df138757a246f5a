import { RefundFailedV1, RefundSucceededV1, refundFailed, refundSucceeded } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { RefundsService } from './refunds.service.js';

/** Payments' answers to the refunds after-sales asked for. */
@Controller()
export class RefundsHandler {
  constructor(private readonly refunds: RefundsService) {}

  @OnEvent(refundSucceeded)
  succeeded(@Payload() event: RefundSucceededV1, @Ctx() context: EventContext): Promise<void> {
    return this.refunds.succeeded(context.manager, event);
  }

  @OnEvent(refundFailed)
  failed(@Payload() event: RefundFailedV1, @Ctx() context: EventContext): Promise<void> {
    return this.refunds.failed(context.manager, event);
  }
}
