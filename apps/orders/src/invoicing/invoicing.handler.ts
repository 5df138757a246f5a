import { RefundSucceededV1, refundSucceeded } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InvoicingService } from './invoicing.service.js';

/**
 * Payments' refunds, which invoiced sub-orders are credited for. Deliveries and after-sales'
 * refund breakdowns reach invoicing through the compensation handler, which has those events.
 */
@Controller()
export class InvoicingHandler {
  constructor(private readonly invoicing: InvoicingService) {}

  @OnEvent(refundSucceeded)
  refundSucceeded(@Payload() event: RefundSucceededV1, @Ctx() context: EventContext): Promise<void> {
    return this.invoicing.refundSucceeded(context.manager, event);
  }
}
