import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';

export const afterSalesService = defineEventDrivenService({
  name: 'after-sales',
  features: [],
  publishes: [Topics.afterSales],
});
