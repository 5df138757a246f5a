import { Module } from '@nestjs/common';
import { LedgersModule } from '../ledgers/ledgers.module.js';
import { PaymentLogModule } from '../payment-log/payment-log.module.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { PaymentController } from './payment.controller.js';
import { PaymentService } from './payment.service.js';
import { PaymentOutcomes } from './payment-outcomes.js';
import { PaymentRequestPurgeWorker } from './payment-request-purge.worker.js';
import { TenderSettlement } from './tender-settlement.js';

/**
 * Paying an order with tenders, and how a payment ends (provider verdicts, the order closing,
 * a new attempt). A capture after the payment ended is refunded through the refunds module.
 */
@Module({
  imports: [LedgersModule, PaymentLogModule, ProvidersModule, RefundsModule],
  controllers: [PaymentController],
  providers: [PaymentService, PaymentOutcomes, TenderSettlement, PaymentRequestPurgeWorker],
  exports: [PaymentOutcomes],
})
export class PaymentModule {}
