import { Module } from '@nestjs/common';
import { FulfilmentModule } from '../fulfilment/fulfilment.module.js';
import { TrackingModule } from '../tracking/tracking.module.js';
import { CarrierWebhooksController } from './carrier-webhooks.controller.js';

/** The one internal route every carrier, platform and warehouse webhook arrives at. */
@Module({
  imports: [TrackingModule, FulfilmentModule],
  controllers: [CarrierWebhooksController],
})
export class WebhooksModule {}
