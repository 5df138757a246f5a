import { Module } from '@nestjs/common';
import { CarrierWebhooksController } from './carrier-webhooks.controller.js';
import { WebhookRelay } from './webhook-relay.js';
import { PaymentWebhooksController } from './webhooks.controller.js';

/**
 * Public, signature-verified webhooks: payment providers' callbacks
 * (POST /api/v1/webhooks/payments/:provider) and carriers' tracking updates
 * (POST /api/v1/webhooks/carriers/:provider).
 */
@Module({ controllers: [PaymentWebhooksController, CarrierWebhooksController], providers: [WebhookRelay] })
export class PaymentWebhooksModule {}
