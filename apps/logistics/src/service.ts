import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { LogisticsAppModule } from './app.module.js';

export const logisticsService = defineEventDrivenService({
  name: 'logistics',
  module: LogisticsAppModule,
  publishes: [Topics.logistics],
  consumes: [Topics.orders, Topics.payments],
});
