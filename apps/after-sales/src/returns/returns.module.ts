import { Module } from '@nestjs/common';
import { ExchangesModule } from '../exchanges/exchanges.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { ReturnTrackingHandler } from './return-tracking.handler.js';
import { ReturnsController } from './returns.controller.js';
import { ReturnsService } from './returns.service.js';

/** Return parcels: sent or fetched, followed by the carrier's tracking, received, inspected. */
@Module({
  imports: [RequestsModule, RefundsModule, ExchangesModule, MetricsModule],
  controllers: [ReturnsController, ReturnTrackingHandler],
  providers: [ReturnsService],
})
export class ReturnsModule {}
