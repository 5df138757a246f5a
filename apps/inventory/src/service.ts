import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { InventoryAppModule } from './app.module.js';

export const inventoryService = defineEventDrivenService({
  name: 'inventory',
  module: InventoryAppModule,
  publishes: [Topics.inventory],
  consumes: [Topics.orders, Topics.payments],
});
