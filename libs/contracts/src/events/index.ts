import { EventRegistry, type EventDefinition } from '../event-registry.js';

/**
 * Every event type of the system, one file per owning service's events. This list is the
 * single place to learn what flows between services; docs/events.md mirrors it.
 * Business events arrive with the features that publish them.
 */
export const ALL_EVENTS: readonly EventDefinition[] = [];

export const eventRegistry = new EventRegistry(ALL_EVENTS);
