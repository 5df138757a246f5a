import { Module } from '@nestjs/common';
import { InvoicingModule } from '../invoicing/invoicing.module.js';
import { OrderModule } from '../order/order.module.js';
import { CompensationHandler } from './compensation.handler.js';
import { CompensationService } from './compensation.service.js';

/** Refunds and restocks for what logistics stopped or the shopper refused after the split; invoices follow them. */
@Module({
  imports: [OrderModule, InvoicingModule],
  controllers: [CompensationHandler],
  providers: [CompensationService],
})
export class CompensationModule {}
