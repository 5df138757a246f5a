import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { OrdersAppModule } from './app.module.js';

export const ordersService = defineEventDrivenService({
  name: 'orders',
  module: OrdersAppModule,
  publishes: [Topics.orders],
  consumes: [Topics.inventory, Topics.payments, Topics.logistics],
});
