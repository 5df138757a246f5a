import { type EventDefinition, EventRegistry } from '../event-registry.js';
import { AFTER_SALES_EVENTS } from './after-sales.events.js';
import { INVENTORY_EVENTS } from './inventory.events.js';
import { LOGISTICS_EVENTS } from './logistics.events.js';
import { ORDER_EVENTS } from './orders.events.js';
import { PAYMENT_EVENTS } from './payments.events.js';

export * from './after-sales.events.js';
export * from './inventory.events.js';
export * from './logistics.events.js';
export * from './orders.events.js';
export * from './payments.events.js';

/**
 * Every event type of the system, one file per owning service's events. This list is the
 * single place to learn what flows between services; `npm run docs:events` generates
 * docs/events.md and docs/asyncapi.yaml from it.
 */
export const ALL_EVENTS: readonly EventDefinition[] = [
  ...ORDER_EVENTS,
  ...INVENTORY_EVENTS,
  ...PAYMENT_EVENTS,
  ...LOGISTICS_EVENTS,
  ...AFTER_SALES_EVENTS,
];

export const eventRegistry = new EventRegistry(ALL_EVENTS);
