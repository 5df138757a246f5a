import { Module } from '@nestjs/common';
import { PaymentLog } from './payment-log.service.js';

/**
 * The state machine of a payment and its append-only log: the one way a payment changes state.
 * Below the payment and refund modules, which both move payments.
 */
@Module({
  providers: [PaymentLog],
  exports: [PaymentLog],
})
export class PaymentLogModule {}
