import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module.js';
import { OrderModule } from '../order/order.module.js';
import { InvoicingController } from './invoicing.controller.js';
import { InvoicingHandler } from './invoicing.handler.js';
import { InvoicingService } from './invoicing.service.js';

/** Invoices per sub-order and credit notes per refund, gap-free numbers per issuer, rendered to PDF. */
@Module({
  imports: [OrderModule, BillingModule],
  controllers: [InvoicingController, InvoicingHandler],
  providers: [InvoicingService],
  exports: [InvoicingService],
})
export class InvoicingModule {}
