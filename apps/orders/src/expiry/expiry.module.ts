import { Module } from '@nestjs/common';
import { SagaModule } from '../saga/saga.module.js';
import { PaymentWindowSweepWorker } from './payment-window-sweep.worker.js';
import { PlacementRequestPurgeWorker } from './placement-request-purge.worker.js';

/** The periodic jobs that close what has expired: unpaid orders past their window, old Idempotency-Keys. */
@Module({
  imports: [SagaModule],
  providers: [PaymentWindowSweepWorker, PlacementRequestPurgeWorker],
})
export class ExpiryModule {}
