import { MerchantUpsertedV1, merchantUpserted } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { MerchantsService } from './merchants.service.js';

/** The catalog's merchants, for the customer-service contact every request shows. */
@Controller()
export class MerchantsHandler {
  constructor(private readonly merchants: MerchantsService) {}

  @OnEvent(merchantUpserted)
  upserted(@Payload() event: MerchantUpsertedV1, @Ctx() context: EventContext): Promise<void> {
    return this.merchants.upserted(context.manager, event);
  }
}
