export * from './cloud-event.js';
export * from './kafka-binding.js';
export * from './event-registry.js';
export * from './events/index.js';
export * from './services.js';
export * from './topics.js';
export * from './commerce.js';
export * from './api/place-order.request.js';
