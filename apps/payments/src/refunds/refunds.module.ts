import { Module } from '@nestjs/common';
import { LedgersModule } from '../ledgers/ledgers.module.js';
import { PaymentLogModule } from '../payment-log/payment-log.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { EventRefunds } from './event-refunds.js';
import { RefundWorker } from './refund.worker.js';
import { RefundsController } from './refunds.controller.js';
import { RefundService } from './refunds.service.js';

/**
 * Refunds along the original route: staff and event requests (EventRefunds, for every service
 * that asks by event), late-capture refunds, and the
 * worker that sends provider parts. Below the payment module (whose outcomes refund late
 * captures), so it needs only the payment log, the ledgers and the providers.
 */
@Module({
  imports: [LedgersModule, PaymentLogModule, ProvidersModule],
  controllers: [RefundsController],
  providers: [RefundService, RefundWorker, EventRefunds],
  exports: [RefundService, RefundWorker, EventRefunds],
})
export class RefundsModule {}
