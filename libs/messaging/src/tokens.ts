import type { EventRegistry } from '@mallard/contracts';
import type { BatchLocks } from './consumer/kafka-event.server.js';

export const EVENT_REGISTRY = Symbol('EVENT_REGISTRY');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** The service name: the CloudEvents source. */
  service: string;
  /** The Kafka consumer group, and the name of its inbox and dead-letter topic. */
  consumerGroup: string;
  brokers: string[];
  registry: EventRegistry;
  /** Topics this service consumes; it creates them (and its dead-letter topic) if missing. */
  consumes: string[];
  /** Topics this service publishes to; created if missing. */
  publishes: string[];
  partitions: number;
  relay: { batchSize: number; pollIntervalMs: number; coalesceMs: number };
  consumer: {
    handlerAttempts: number;
    retryBackoffMs: number;
    maxBackoffMs: number;
    partitionsConcurrently: number;
    eventsPerTransaction: number;
    lockBatch?: BatchLocks;
  };
  /** Inbox rows older than retentionDays are deleted, batchSize at a time, every intervalMs. */
  inboxPurge: { retentionDays: number; intervalMs: number; batchSize: number };
}
