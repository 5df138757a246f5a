import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { PaymentsAppModule } from './app.module.js';

export const paymentsService = defineEventDrivenService({
  name: 'payments',
  module: PaymentsAppModule,
  publishes: [Topics.payments],
  consumes: [Topics.orders, Topics.afterSales, Topics.logistics],
});
