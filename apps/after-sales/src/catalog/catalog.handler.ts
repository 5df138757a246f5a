import { SkuUpsertedV1, skuUpserted } from '@mallard/contracts';
import { EventContext, OnEvent } from '@mallard/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CatalogService } from './catalog.service.js';

/** The catalog's SKUs: what an exchange may send, and at what price. */
@Controller()
export class CatalogHandler {
  constructor(private readonly catalog: CatalogService) {}

  @OnEvent(skuUpserted)
  upserted(@Payload() sku: SkuUpsertedV1, @Ctx() context: EventContext): Promise<void> {
    return this.catalog.upserted(context.manager, sku);
  }
}
