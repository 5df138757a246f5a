import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module.js';
import { BillingController } from './billing.controller.js';
import { BillingService } from './billing.service.js';

/** Billing details of an order: checked at placement (which writes them) and changed by the owner. */
@Module({
  imports: [OrderModule],
  controllers: [BillingController],
  providers: [BillingService],
  exports: [BillingService],
})
export class BillingModule {}
