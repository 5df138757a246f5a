/**
 * One event topic per owning service. Events are keyed by their aggregate (the parent order id
 * for everything order-related), so all events of one order land on one partition and keep
 * their order.
 */
export const Topics = {
  orders: 'mallard.orders.events',
  inventory: 'mallard.inventory.events',
  payments: 'mallard.payments.events',
  logistics: 'mallard.logistics.events',
  afterSales: 'mallard.after-sales.events',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export const EVENT_TOPICS: readonly TopicName[] = Object.values(Topics);

/**
 * Poison messages of one consumer group go to that group's dead-letter topic, so a team can
 * inspect and replay what its own service could not handle.
 */
export function deadLetterTopicOf(consumerGroup: string): string {
  return `${DEAD_LETTER_TOPIC_PREFIX}${consumerGroup}`;
}

export const DEAD_LETTER_TOPIC_PREFIX = 'mallard.dlq.';

/**
 * What operators did with dead letters (replayed, discarded: who, when, why), keyed
 * `<consumerGroup>:<dead-letter offset>` and compacted: each record holds the letter's whole history.
 */
export const DEAD_LETTER_ACTIONS_TOPIC = 'mallard.dlq-actions';

/** Partitions per event topic; enough for each service to run a few consumer instances. */
export const EVENT_TOPIC_PARTITIONS = 6;
