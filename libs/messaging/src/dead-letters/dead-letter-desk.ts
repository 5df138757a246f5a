import { DEAD_LETTER_ACTIONS_TOPIC, DEAD_LETTER_TOPIC_PREFIX, type DeadLetterStatus, deadLetterTopicOf } from '@mallard/contracts';
import type { IncomingRecord, MessageBroker, PartitionRange, TopicReader } from '../broker/message-broker.js';
import {
  actionKeyOf,
  type DeadLetter,
  type DeadLetterAction,
  type DeadLetterActionName,
  type DeadLetterDetail,
  deadLetterDetailOf,
  deadLetterOf,
  foldActions,
  type RefusalCode,
  refusalOf,
  replayRecordOf,
  statusOf,
  withAction,
} from './dead-letter.js';

export type DeadLetterBroker = MessageBroker & TopicReader;

export interface DeadLetterDeskOptions {
  /**
   * The consumers' INBOX_RETENTION_DAYS: a replay of an event older than this needs force, since
   * the groups that applied it may have purged the inbox row that would make the replay a no-op.
   */
  inboxRetentionDays: number;
}

/** The services' default INBOX_RETENTION_DAYS (libs/platform ServiceConfig). */
export const DEFAULT_INBOX_RETENTION_DAYS = 8;

/** A consumer group that has a dead-letter topic, and how many letters it holds in each status. */
export interface DeadLetterGroupSummary {
  consumerGroup: string;
  topic: string;
  total: number;
  pending: number;
  replayed: number;
  discarded: number;
}

export interface DeadLetterActionRequest {
  by: string;
  why: string;
  /** Act on a letter that is no longer PENDING (a second replay, say). */
  force?: boolean;
}

export class DeadLetterGroupNotFound extends Error {
  override readonly name = 'DeadLetterGroupNotFound';
  constructor(readonly consumerGroup: string) {
    super(`consumer group ${consumerGroup} has no dead-letter topic (${deadLetterTopicOf(consumerGroup)})`);
  }
}

export class DeadLetterNotFound extends Error {
  override readonly name = 'DeadLetterNotFound';
  constructor(
    readonly consumerGroup: string,
    readonly id: string,
  ) {
    super(`consumer group ${consumerGroup} has no dead letter ${id}`);
  }
}

/** An action that may not go ahead; every code but `input` gives way to force. */
export class DeadLetterActionRefused extends Error {
  override readonly name = 'DeadLetterActionRefused';
  constructor(
    readonly consumerGroup: string,
    readonly id: string,
    readonly code: RefusalCode,
    readonly status: DeadLetterStatus,
    reason: string,
  ) {
    super(`${consumerGroup} dead letter ${id}: ${reason}`);
  }
}

/** Dead-letter topics have one partition (KafkaEventServer creates them so): a letter's id is its offset. */
const DLQ_PARTITION = 0;

/**
 * What an operator can do with the dead letters of a consumer group: list, show, replay,
 * discard. It reads topics with throwaway readers that commit nothing, so no consumer group's
 * position moves; a replay is the original record sent again to its source topic, so it goes
 * through the normal consumer path (and its inboxes). Every replay and discard is recorded on
 * the compacted actions topic, which gives each letter its status.
 *
 * Two operators acting on one letter at the same instant are not serialised (Kafka has no
 * compare-and-set): the later record's history wins, and a double replay is harmless anyway,
 * since every inbox recognises the event id the second time.
 */
export class DeadLetterDesk {
  constructor(
    private readonly broker: DeadLetterBroker,
    private readonly options: DeadLetterDeskOptions = { inboxRetentionDays: DEFAULT_INBOX_RETENTION_DAYS },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async groups(): Promise<DeadLetterGroupSummary[]> {
    const topics = (await this.broker.listTopics()).filter((topic) => topic.startsWith(DEAD_LETTER_TOPIC_PREFIX)).sort();
    if (topics.length === 0) return [];
    const [histories, ...letters] = await this.read(topics.map((topic) => ({ topic, partition: DLQ_PARTITION })));
    return topics.map((topic, index) => {
      const consumerGroup = topic.slice(DEAD_LETTER_TOPIC_PREFIX.length);
      const statuses = letters[index].map((record) => statusOf(histories.get(actionKeyOf(consumerGroup, record.offset)) ?? []));
      const count = (status: DeadLetterStatus) => statuses.filter((candidate) => candidate === status).length;
      return {
        consumerGroup,
        topic,
        total: statuses.length,
        pending: count('PENDING'),
        replayed: count('REPLAYED'),
        discarded: count('DISCARDED'),
      };
    });
  }

  async list(consumerGroup: string, status?: DeadLetterStatus): Promise<DeadLetter[]> {
    const topic = await this.topicOf(consumerGroup);
    const [histories, records] = await this.read([{ topic, partition: DLQ_PARTITION }]);
    return records
      .map((record) => deadLetterOf(consumerGroup, record, histories.get(actionKeyOf(consumerGroup, record.offset))))
      .filter((letter) => !status || letter.status === status);
  }

  async show(consumerGroup: string, id: string): Promise<DeadLetterDetail> {
    const [record, history] = await this.letter(consumerGroup, id);
    return deadLetterDetailOf(consumerGroup, record, history);
  }

  /** Sends the original record again to its source topic, and records who did it and why. */
  replay(consumerGroup: string, id: string, request: DeadLetterActionRequest): Promise<DeadLetter> {
    return this.act('replay', consumerGroup, id, request);
  }

  /** Marks the letter as dealt with, sending nothing, and records who did it and why. */
  discard(consumerGroup: string, id: string, request: DeadLetterActionRequest): Promise<DeadLetter> {
    return this.act('discard', consumerGroup, id, request);
  }

  private async act(
    action: DeadLetterActionName,
    consumerGroup: string,
    id: string,
    { by, why, force = false }: DeadLetterActionRequest,
  ): Promise<DeadLetter> {
    const [record, history] = await this.letter(consumerGroup, id);
    const status = statusOf(history);
    const letter = deadLetterOf(consumerGroup, record, history);
    const now = this.now();
    const check = { action, status, by, why, eventTime: letter.publishedAt ?? letter.failedAt, now, ...this.options };
    const refusal = refusalOf({ ...check, force });
    if (refusal) throw new DeadLetterActionRefused(consumerGroup, record.offset, refusal.code, status, refusal.reason);
    // Forced: without force, it would have been refused.
    const forced = refusalOf({ ...check, force: false }) !== undefined;
    const entry: DeadLetterAction = { action, by: by.trim(), why: why.trim(), at: now.toISOString(), forced };
    const recorded = withAction(history, entry);
    await this.broker.ensureTopics([{ topic: DEAD_LETTER_ACTIONS_TOPIC, partitions: 1, compacted: true }]);
    const producer = await this.broker.producer();
    // One send, the action's record after the replayed one. If it fails part-way, the letter
    // may stay PENDING although its record went out; repeating the action is safe, since the
    // inboxes absorb a record sent twice.
    await producer.send([
      ...(action === 'replay' ? [replayRecordOf(record)] : []),
      {
        topic: DEAD_LETTER_ACTIONS_TOPIC,
        // The record's own offset: "007" and "7" name one letter and one history.
        key: actionKeyOf(consumerGroup, record.offset),
        value: JSON.stringify({ consumerGroup, id: record.offset, ...recorded }),
        headers: {},
      },
    ]);
    return deadLetterOf(consumerGroup, record, recorded.history);
  }

  private async letter(consumerGroup: string, id: string): Promise<[IncomingRecord, DeadLetterAction[]]> {
    const topic = await this.topicOf(consumerGroup);
    if (!/^\d{1,19}$/.test(id)) throw new DeadLetterNotFound(consumerGroup, id);
    const offset = BigInt(id);
    const [histories, records] = await this.read([
      { topic, partition: DLQ_PARTITION, from: offset.toString(), until: (offset + 1n).toString() },
    ]);
    const record = records.find((candidate) => candidate.offset === offset.toString());
    if (!record) throw new DeadLetterNotFound(consumerGroup, id);
    return [record, histories.get(actionKeyOf(consumerGroup, record.offset)) ?? []];
  }

  private async topicOf(consumerGroup: string): Promise<string> {
    const topic = deadLetterTopicOf(consumerGroup);
    if (!(await this.broker.listTopics()).includes(topic)) throw new DeadLetterGroupNotFound(consumerGroup);
    return topic;
  }

  /** The letters' histories and the given ranges, with one reader. */
  private async read(ranges: PartitionRange[]): Promise<[Map<string, DeadLetterAction[]>, ...IncomingRecord[][]]> {
    const hasActions = (await this.broker.listTopics()).includes(DEAD_LETTER_ACTIONS_TOPIC);
    const read = await this.broker.readPartitions(hasActions ? [...ranges, { topic: DEAD_LETTER_ACTIONS_TOPIC, partition: 0 }] : ranges);
    const actions = hasActions ? (read.pop() ?? []) : [];
    const histories = foldActions(
      actions.map((record) => ({ key: record.key?.toString() ?? null, value: record.value?.toString() ?? null })),
    );
    return [histories, ...read];
  }
}
