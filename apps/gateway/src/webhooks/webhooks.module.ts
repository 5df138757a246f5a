import { Module } from '@nestjs/common';
import { PaymentWebhooksController } from './webhooks.controller.js';

/** Public, signature-verified callbacks of payment providers (POST /api/v1/webhooks/payments/:provider). */
@Module({ controllers: [PaymentWebhooksController] })
export class PaymentWebhooksModule {}
