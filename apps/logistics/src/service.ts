import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';

export const logisticsService = defineEventDrivenService({
  name: 'logistics',
  features: [],
  publishes: [Topics.logistics],
});
