export * from './broker/message-broker.js';
export * from './broker/kafkajs-broker.js';
export * from './consumer/event-context.js';
export * from './consumer/kafka-event.server.js';
export * from './inbox/inbox-message.entity.js';
export * from './inbox/inbox-purge.js';
export * from './outbox/event-publisher.js';
export * from './outbox/outbox-message.entity.js';
export * from './outbox/outbox-relay.js';
export * from './messaging-tables.migration.js';
export * from './messaging.module.js';
export * from './tokens.js';

export * from './event-driven-service.js';
export * from './consumer/on-event.js';
