import { Module } from '@nestjs/common';
import { InvoicesController } from './invoices.controller.js';

/** Invoices and credit notes, issued and kept by orders. */
@Module({ controllers: [InvoicesController] })
export class InvoicesModule {}
