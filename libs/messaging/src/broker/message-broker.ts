/**
 * The little Mallard needs from a Kafka client. Everything else in libs/messaging talks to
 * this interface, so the client library (kafkajs today) can be swapped in one file.
 */
export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string | Buffer;
  headers: Record<string, string>;
}

export type RecordHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
}

export interface IncomingBatch {
  topic: string;
  partition: number;
  records: IncomingRecord[];
}

export interface BatchControl {
  /** Marks everything up to and including `offset` as done for the consumer group. */
  commit(offset: string): Promise<void>;
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was taken away in a rebalance. */
  shouldContinue(): boolean;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Keep only the newest record of each key (cleanup.policy=compact) instead of deleting by age. */
  compacted?: boolean;
}

export interface MessageProducer {
  /** Resolves once the broker has acknowledged every record (acks=all). */
  send(records: OutgoingRecord[]): Promise<void>;
}

export interface MessageConsumer {
  start(handleBatch: (batch: IncomingBatch, control: BatchControl) => Promise<void>): Promise<void>;
  /** Stops fetching and waits for the batch being handled to finish. */
  stop(): Promise<void>;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** How many partitions are worked on at once; each partition is always handled in order. */
  partitionsConcurrently?: number;
}

export interface MessageBroker {
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  producer(): Promise<MessageProducer>;
  consumer(options: ConsumerOptions): MessageConsumer;
  /** Rejects when the cluster cannot be reached; used by readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Where one partition of a topic stands. */
export interface PartitionExtent {
  topic: string;
  partition: number;
  /** The oldest offset the partition still holds (retention deleted what came before). */
  earliest: string;
  /** The offset the next record will get: a reader whose position is here has read everything. */
  end: string;
}

/** Where a consumer group will resume in one partition; '-1' before its first commit there. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Read-only questions about topics and consumer groups, for operations tooling that must know
 * how far a group has read (the gateway's read-model rebuild). Services never need them.
 */
export interface ConsumerGroupInspector {
  topicExtents(topics: string[]): Promise<PartitionExtent[]>;
  committedOffsets(groupId: string, topics: string[]): Promise<CommittedOffset[]>;
  /** How many consumers are in the group right now: 0 when none is, or the group does not exist. */
  activeMembers(groupId: string): Promise<number>;
}

/**
 * Reads topics without taking part in anything: for operations tooling (the dead-letter desk).
 * Nothing is committed, so no consumer group's position moves.
 */
export interface TopicReader {
  /** The topics the broker has, by their names in the code (without the prefix). */
  listTopics(): Promise<string[]>;
  /** The records of each range, in offset order, read together by one throwaway reader. */
  readPartitions(ranges: PartitionRange[]): Promise<IncomingRecord[][]>;
}

/**
 * Records of one partition from `from` (or the oldest it still holds) up to where the partition
 * ended when asked, or up to `until` (exclusive) if that comes first.
 */
export interface PartitionRange {
  topic: string;
  partition: number;
  from?: string;
  until?: string;
}

export const MESSAGE_BROKER = Symbol('MESSAGE_BROKER');
