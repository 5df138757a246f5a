import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { AfterSalesAppModule } from './app.module.js';

export const afterSalesService = defineEventDrivenService({
  name: 'after-sales',
  module: AfterSalesAppModule,
  publishes: [Topics.afterSales],
  consumes: [Topics.orders, Topics.logistics, Topics.payments],
});
