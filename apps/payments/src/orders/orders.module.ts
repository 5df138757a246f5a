import { Module } from '@nestjs/common';
import { PaymentModule } from '../payment/payment.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { OrderEventsHandler } from './orders.handler.js';

/** What payments takes from orders: which orders may be paid, for how much, and refund requests. */
@Module({
  imports: [PaymentModule, RefundsModule],
  controllers: [OrderEventsHandler],
})
export class OrdersModule {}
