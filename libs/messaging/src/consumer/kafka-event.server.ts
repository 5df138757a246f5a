import { setTimeout as sleep } from 'node:timers/promises';
import { type CloudEvent, type EventRegistry, fromKafkaRecord } from '@mallard/contracts';
import { runWithCorrelation } from '@mallard/platform';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { Counter, Histogram } from 'prom-client';
import { lastValueFrom } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  BatchControl,
  IncomingBatch,
  IncomingRecord,
  MessageBroker,
  MessageConsumer,
  MessageProducer,
} from '../broker/message-broker.js';
import { type DeadLetterKind, sendToDeadLetter } from './dead-letter.js';
import { EventContext } from './event-context.js';
import { describeFailure, isTransientFailure } from './failure.js';
import { handlerKey, typeOfHandlerKey } from './handler-key.js';

export interface KafkaEventServerOptions {
  broker: MessageBroker;
  dataSource: DataSource;
  registry: EventRegistry;
  consumerGroup: string;
  /** The topics the service may consume; it subscribes to those its handlers need. */
  topics: string[];
  partitions: number;
  deadLetterTopic: string;
  logger: Logger;
  consumed: Counter<'type' | 'outcome'>;
  /** Records written to the dead-letter topic, by the group's name and the letter's kind. */
  deadLettered: Counter<'group' | 'kind'>;
  handlingSeconds: Histogram<'type'>;
  /**
   * Runs of events whose shared transaction failed and were applied again one event per
   * transaction: `conflict` for a deadlock, a serialization failure or a lost connection, `handler`
   * for a handler's own error (the one at fault then retries or goes to the dead-letter topic).
   */
  reappliedRuns: Counter<'group' | 'reason'>;
  /** Consecutive events of a partition applied in one transaction (1: one per transaction). */
  eventsPerTransaction: number;
  /** Attempts for a handler that fails for a reason of its own before the message is dead-lettered. */
  handlerAttempts: number;
  retryBackoffMs: number;
  maxBackoffMs: number;
  partitionsConcurrently: number;
  /** Takes the rows a run of events will lock, in the service's one lock order (BatchLocks). */
  lockBatch?: BatchLocks;
}

/**
 * The locks of a run of events applied in one transaction, taken before any handler runs.
 * Each handler takes its own rows in the service's lock order; a run of them does not, since the
 * second event's rows may sort before the first's. Two such runs on different partitions (two
 * instances, or partitions applied concurrently) then wait on each other until PostgreSQL's
 * deadlock detector breaks one (a second, by default) and the run is applied again event by
 * event. A service whose handlers lock shared rows takes them here for the whole run, in order;
 * the handlers' own locks then find them held. Events applied alone do not call it.
 */
export type BatchLocks = (manager: EntityManager, events: readonly BatchEvent[]) => Promise<void>;

/** An event of a run, as lockBatch sees it: its type and its validated payload. */
export interface BatchEvent {
  type: string;
  data: object;
}

type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead-lettered' | 'aborted';

interface Applicable {
  kind: 'applicable';
  record: IncomingRecord;
  /** The envelope with its validated payload as data. */
  event: CloudEvent;
  payload: object;
  handler: MessageHandler;
}

/**
 * A Nest transport strategy over Kafka: handlers stay ordinary @EventPattern('type@vN') methods (OnEvent).
 * Per record: decode the CloudEvent, validate it against the registry, then run the handler in
 * a database transaction together with the inbox row (so a redelivery has no second effect);
 * consecutive events of a partition share one transaction when they all succeed.
 * The partition's offset is committed only after those transactions committed. A message that
 * cannot be applied goes to the dead-letter topic with its reason and the partition moves on;
 * infrastructure failures are retried, never dead-lettered.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  private consumer?: MessageConsumer;
  private producer?: MessageProducer;
  private stopping = false;

  constructor(private readonly options: KafkaEventServerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    this.stopping = true;
    // Waits for the batch in hand: its handlers finish and its offsets are committed before
    // Nest goes on to close the database.
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error('KafkaEventServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.options.broker as T;
  }

  /**
   * The topics the handlers listen to, which must be exactly those the service declares under
   * `consumes`: the declaration is what the docs and the deployment describe, so a topic
   * declared with nothing to handle it is refused like a handler on an undeclared topic.
   */
  private subscribedTopics(): string[] {
    const handled = new Set<string>();
    for (const key of this.getHandlers().keys()) {
      const type = typeOfHandlerKey(key);
      const topic = this.options.registry.topicOf(type);
      if (!topic) throw new Error(`a handler listens to ${type}, which is not in the event registry`);
      if (!this.options.topics.includes(topic)) {
        throw new Error(`a handler listens to ${type} on ${topic}, which the service does not list under consumes`);
      }
      handled.add(topic);
    }
    const unhandled = this.options.topics.filter((topic) => !handled.has(topic));
    if (unhandled.length > 0) {
      throw new Error(
        `the service lists ${unhandled.join(', ')} under consumes, but no handler listens to ${unhandled.length > 1 ? 'them' : 'it'}`,
      );
    }
    return [...handled];
  }

  private async start(): Promise<void> {
    this.stopping = false;
    const topics = this.subscribedTopics();
    if (topics.length === 0) {
      this.options.logger.info('no event handlers: not consuming');
      return;
    }
    // Topics that other services are creating at this very moment may not be served by the
    // broker yet; a retriable error at start is worth a few more tries before giving up.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.subscribe(topics);
        return;
      } catch (error) {
        await this.consumer?.stop().catch(() => undefined);
        this.consumer = undefined;
        if (!(error as { retriable?: boolean }).retriable || attempt >= 5) throw error;
        this.options.logger.warn({ err: error, attempt }, 'consumer start failed; retrying');
        await sleep(500 * attempt);
      }
    }
  }

  private async subscribe(topics: string[]): Promise<void> {
    await this.options.broker.ensureTopics([
      ...topics.map((topic) => ({ topic, partitions: this.options.partitions })),
      { topic: this.options.deadLetterTopic, partitions: 1 },
    ]);
    this.producer = await this.options.broker.producer();
    this.consumer = this.options.broker.consumer({
      groupId: this.options.consumerGroup,
      topics,
      partitionsConcurrently: this.options.partitionsConcurrently,
    });
    await this.consumer.start((batch, control) => this.handleBatch(batch, control));
  }

  private async handleBatch(batch: IncomingBatch, control: BatchControl): Promise<void> {
    let lastDone: string | undefined;
    let pending: Applicable[] = [];
    /** Applies what is pending; false when it stopped part way (shutdown, lost partition). */
    const flush = async (): Promise<boolean> => {
      if (pending.length === 0) return true;
      const entries = pending;
      pending = [];
      const applied = await this.applyInOrder(entries, control);
      if (applied > 0) lastDone = entries[applied - 1].record.offset;
      return applied === entries.length;
    };
    try {
      for (const record of batch.records) {
        if (!control.shouldContinue()) break;
        const prepared = await this.prepare(record);
        if (prepared.kind === 'applicable') {
          pending.push(prepared);
          if (pending.length >= this.options.eventsPerTransaction && !(await flush())) break;
          continue;
        }
        // Settled on its own (dead-lettered or not ours): what came before it goes first.
        if (!(await flush())) break;
        lastDone = record.offset;
      }
      await flush();
    } finally {
      if (lastDone !== undefined) {
        await control.commit(lastDone).catch((error: unknown) => {
          // The partition moved to another instance; it re-reads from the last commit and the
          // inbox absorbs what this instance already applied.
          this.options.logger.warn({ err: error, topic: batch.topic, partition: batch.partition }, 'offset commit failed');
        });
      }
    }
  }

  private handledTypeSet: Set<string> | undefined;
  private handledTypes(): Set<string> {
    this.handledTypeSet ??= new Set([...this.getHandlers().keys()].map(typeOfHandlerKey));
    return this.handledTypeSet;
  }

  /**
   * The handler of a key, looked up once: Nest's lookup first tries the key as JSON, and ours is
   * not, so each look threw and caught a SyntaxError (about 7 µs, for every record consumed,
   * ignored ones too). Keys come from the event registry, so the map stays small.
   */
  private readonly handlerByKey = new Map<string, MessageHandler | null>();
  private handlerFor(key: string): MessageHandler | null {
    let handler = this.handlerByKey.get(key);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(key);
      this.handlerByKey.set(key, handler);
    }
    return handler;
  }

  /** Decodes and validates a record; what cannot be applied is dead-lettered here. */
  private async prepare(record: IncomingRecord): Promise<Applicable | { kind: 'settled' }> {
    let event: CloudEvent;
    try {
      event = fromKafkaRecord(record);
    } catch (error) {
      await this.deadLetter(record, 'malformed', describeFailure(error), 'unknown');
      return { kind: 'settled' };
    }
    if (!this.options.registry.find(event.type, event.dataversion)) {
      await this.deadLetter(record, 'unknown-type', `unknown event type ${event.type}@v${event.dataversion}`, event.type);
      return { kind: 'settled' };
    }
    const handler = this.handlerFor(handlerKey(event.type, event.dataversion));
    if (!handler) {
      // A type this service handles, at a version it has no handler for, is a deployment out of
      // step (a publisher upgraded before its consumer): kept for replay, never dropped.
      if (this.handledTypes().has(event.type)) {
        await this.deadLetter(record, 'unhandled-version', `no handler for ${event.type}@v${event.dataversion}`, event.type);
        return { kind: 'settled' };
      }
      this.options.consumed.inc({ type: event.type, outcome: 'ignored' });
      return { kind: 'settled' };
    }
    try {
      const payload = this.options.registry.parse<object>(event.type, event.dataversion, event.data);
      return { kind: 'applicable', record, event: { ...event, data: payload }, payload, handler };
    } catch (error) {
      await this.deadLetter(record, 'invalid', describeFailure(error), event.type);
      return { kind: 'settled' };
    }
  }

  /**
   * Applies consecutive events of one partition in one transaction: one inbox insert for all,
   * the handlers in order, one commit. If any of them fails, the transaction rolls back whole
   * and the events are applied one per transaction instead, with retries and the dead-letter
   * topic for the one at fault. Returns how many, from the first, are done.
   */
  private async applyInOrder(entries: Applicable[], control: BatchControl): Promise<number> {
    if (entries.length > 1) {
      try {
        const outcomes = await this.options.dataSource.transaction(async (manager) => {
          const claimed: { event_id: string }[] = await manager.query(
            `INSERT INTO inbox_message (consumer_group, event_id, event_type)
             SELECT $1, id, type FROM unnest($2::text[], $3::text[]) AS e(id, type)
             ON CONFLICT DO NOTHING RETURNING event_id`,
            [this.options.consumerGroup, entries.map((entry) => entry.event.id), entries.map((entry) => entry.event.type)],
          );
          const unclaimed = new Set(claimed.map((row) => row.event_id));
          const toApply = entries.filter((entry) => unclaimed.has(entry.event.id));
          if (this.options.lockBatch && toApply.length > 0) {
            await this.options.lockBatch(
              manager,
              toApply.map((entry) => ({ type: entry.event.type, data: entry.payload })),
            );
          }
          const results: ('applied' | 'duplicate')[] = [];
          for (const entry of entries) {
            // The same event twice in one batch is claimed once, and applied once.
            if (!unclaimed.delete(entry.event.id)) {
              results.push('duplicate');
              continue;
            }
            await this.invoke(entry, manager);
            results.push('applied');
          }
          return results;
        });
        for (const [index, entry] of entries.entries()) this.options.consumed.inc({ type: entry.event.type, outcome: outcomes[index] });
        return entries.length;
      } catch (error) {
        this.options.reappliedRuns.inc({ group: this.options.consumerGroup, reason: isTransientFailure(error) ? 'conflict' : 'handler' });
        this.options.logger.debug({ err: error, events: entries.length }, 'batch transaction failed; applying one by one');
      }
    }
    for (let index = 0; index < entries.length; index += 1) {
      if ((await this.applyWithRetries(entries[index], control)) === 'aborted') return index;
    }
    return entries.length;
  }

  private async invoke(entry: Applicable, manager: EntityManager): Promise<void> {
    const stopTimer = this.options.handlingSeconds.startTimer({ type: entry.event.type });
    await runWithCorrelation(entry.event.correlationid, async () => {
      const result = await entry.handler(entry.payload, new EventContext([entry.event, manager]));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    });
    stopTimer();
  }

  private async applyWithRetries(entry: Applicable, control: BatchControl): Promise<Outcome> {
    const { event, record } = entry;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await this.applyOnce(entry);
        this.options.consumed.inc({ type: event.type, outcome });
        return outcome;
      } catch (error) {
        if (this.stopping || !control.shouldContinue()) return 'aborted';
        const transient = isTransientFailure(error);
        if (!transient && attempt >= this.options.handlerAttempts) {
          this.options.logger.error({ err: error, eventId: event.id, type: event.type, attempt }, 'event handler failed; dead-lettering');
          return this.deadLetter(record, 'handler-failed', describeFailure(error), event.type);
        }
        const backoff = Math.min(this.options.retryBackoffMs * 2 ** (attempt - 1), this.options.maxBackoffMs);
        this.options.logger.warn(
          { err: error, eventId: event.id, type: event.type, attempt, transient, backoff },
          'event handler failed; retrying',
        );
        await sleep(backoff);
        await control.heartbeat().catch(() => undefined);
      }
    }
  }

  private applyOnce(entry: Applicable): Promise<'applied' | 'duplicate'> {
    return this.options.dataSource.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        `INSERT INTO inbox_message (consumer_group, event_id, event_type) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [this.options.consumerGroup, entry.event.id, entry.event.type],
      );
      if (claimed.length === 0) return 'duplicate';
      await this.invoke(entry, manager);
      return 'applied';
    });
  }

  private async deadLetter(record: IncomingRecord, kind: DeadLetterKind, reason: string, type: string): Promise<Outcome> {
    this.options.logger.warn(
      { kind, reason, topic: record.topic, partition: record.partition, offset: record.offset },
      'message sent to dead-letter topic',
    );
    await sendToDeadLetter(this.producer!, this.options.deadLetterTopic, this.options.consumerGroup, record, kind, reason);
    this.options.deadLettered.inc({ group: this.options.consumerGroup, kind });
    this.options.consumed.inc({ type, outcome: 'dead-lettered' });
    return 'dead-lettered';
  }
}
