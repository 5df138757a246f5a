import { Module } from '@nestjs/common';
import { RefundsModule } from '../refunds/refunds.module.js';
import { AfterSalesEventsHandler } from './after-sales.handler.js';

/** What payments takes from after-sales: the refunds of approved requests. */
@Module({
  imports: [RefundsModule],
  controllers: [AfterSalesEventsHandler],
})
export class AfterSalesModule {}
