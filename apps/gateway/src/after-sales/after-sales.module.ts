import { Module } from '@nestjs/common';
import { AfterSalesController } from './after-sales.controller.js';
import { AfterSalesDeskController } from './after-sales-desk.controller.js';
import { AfterSalesReturnsController } from './after-sales-returns.controller.js';

/**
 * After-sales through the gateway: the shopper's requests, evidence and return parcels, customer
 * service's desk and the warehouse's part of a return, each forwarded to the after-sales service.
 */
@Module({ controllers: [AfterSalesController, AfterSalesDeskController, AfterSalesReturnsController] })
export class AfterSalesModule {}
