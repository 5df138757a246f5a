import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { PaymentModule } from '../payment/payment.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Provider callbacks as the gateway forwards them: verified, recorded once, applied to their payment. */
@Module({
  imports: [ProvidersModule, PaymentModule, RefundsModule, MetricsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksModule {}
