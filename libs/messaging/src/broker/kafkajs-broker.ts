import { type Admin, type Consumer, Kafka, type LogEntry, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { fixKafkaJsIdleLoop } from './kafkajs-idle-loop-fix.js';
import type {
  BatchControl,
  CommittedOffset,
  ConsumerGroupInspector,
  ConsumerOptions,
  IncomingBatch,
  IncomingRecord,
  MessageBroker,
  MessageConsumer,
  MessageProducer,
  OutgoingRecord,
  PartitionExtent,
  PartitionRange,
  TopicReader,
  TopicSpec,
} from './message-broker.js';

export interface KafkaJsBrokerOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /**
   * Put before every topic name on the wire. Lets several copies of the suite share one
   * broker without hearing each other (tests, review environments); empty in production.
   */
  topicPrefix?: string;
}

/** How long a service waits at start for its topics to be served before it gives up. */
const TOPIC_READY_TIMEOUT_MS = 60_000;

/** kafkajs behind MessageBroker. The only file that imports kafkajs. */
export class KafkaJsBroker implements MessageBroker, ConsumerGroupInspector, TopicReader {
  private readonly kafka: Kafka;
  private admin?: Promise<Admin>;
  private sharedProducer?: Promise<Producer>;
  private readonly consumers = new Set<KafkaJsConsumer>();
  private readonly naming: TopicNaming;
  private readonly clientId: string;

  constructor(options: KafkaJsBrokerOptions) {
    fixKafkaJsIdleLoop();
    this.clientId = options.clientId;
    this.naming = new TopicNaming(options.topicPrefix ?? '');
    const log = options.logger.child({ component: 'kafka' });
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      retry: { initialRetryTime: 100, retries: 8 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }: LogEntry) => {
          const { message, ...fields } = entry;
          // Retries are bounded on purpose: the relay resends a failed batch whole, in order,
          // and consumers' inboxes absorb the duplicates; the warning says nothing new.
          if (message.startsWith('Limiting retries for the idempotent producer')) return;
          if (level === logLevel.ERROR) log.error(fields, message);
          else if (level === logLevel.WARN) log.warn(fields, message);
          else log.debug(fields, message);
        },
    });
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const wanted = topics.map((spec) => ({ ...spec, topic: this.naming.toWire(spec.topic) }));
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      // kafkajs' own wait for leaders gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a
      // KRaft broker answers until its metadata cache has caught up with the new topic; the
      // wait below tolerates that. Several services create shared topics as they start, and
      // losing that race is fine.
      await admin
        .createTopics({
          waitForLeaders: false,
          topics: missing.map((spec) => ({
            topic: spec.topic,
            numPartitions: spec.partitions,
            replicationFactor: -1,
            configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
          })),
        })
        .catch((error: { type?: string }) => {
          if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error;
        });
    }
    await this.waitUntilServed(
      admin,
      wanted.map((spec) => spec.topic),
    );
  }

  /**
   * A topic that was just created (by us or by another instance) is announced before every
   * partition is hosted: metadata may still lack it or its leaders, and its leader may answer
   * "does not host this topic-partition". Waits until every partition answers a ListOffsets,
   * which is what producers and consumers need, and fails with a clear message after a bound.
   */
  private async waitUntilServed(admin: Admin, topics: string[]): Promise<void> {
    const deadline = Date.now() + TOPIC_READY_TIMEOUT_MS;
    let lastProblem = 'no answer yet';
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        const leaderless = metadata.filter(
          (topic) => topic.partitions.length === 0 || topic.partitions.some((partition) => partition.leader < 0),
        );
        if (leaderless.length === 0) {
          for (const topic of topics) await admin.fetchTopicOffsets(topic);
          return;
        }
        lastProblem = `no partition leader yet for ${leaderless.map((topic) => topic.name).join(', ')}`;
      } catch (error) {
        lastProblem = (error as Error).message;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Kafka topics not served by the broker after ${TOPIC_READY_TIMEOUT_MS / 1000} s (${topics.join(', ')}): ${lastProblem}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1_000)));
    }
  }

  async producer(): Promise<MessageProducer> {
    // Connects now, so a broker that cannot be reached fails the caller's start.
    await this.connectedProducer();
    return {
      send: async (records: OutgoingRecord[]) => {
        if (records.length === 0) return;
        const byTopic = new Map<string, OutgoingRecord[]>();
        for (const record of records) {
          const topic = this.naming.toWire(record.topic);
          const list = byTopic.get(topic) ?? [];
          list.push(record);
          byTopic.set(topic, list);
        }
        const producer = await this.connectedProducer();
        try {
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, list]) => ({
              topic,
              messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
            })),
          });
        } catch (error) {
          // An idempotent producer whose send failed may hold sequence numbers the broker no
          // longer agrees with: after a broker crash it answers OUT_OF_ORDER_SEQUENCE_NUMBER to
          // every later send, for good. The next send gets a new producer (a new producer id);
          // the caller re-sends the records in order, and consumers' inboxes absorb a duplicate.
          this.discardProducer(producer);
          throw error;
        }
      },
    };
  }

  private async connectedProducer(): Promise<Producer> {
    this.sharedProducer ??= (async () => {
      // Idempotent with one request in flight: a retried send can neither duplicate nor
      // reorder records, so one order's events reach the topic in the order they were written.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Java-compatible murmur2 keying, so other clients agree on an order's partition.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return producer;
    })();
    return this.sharedProducer.catch((error) => {
      this.sharedProducer = undefined;
      throw error;
    });
  }

  private discardProducer(producer: Producer): void {
    const current = this.sharedProducer;
    if (!current) return;
    void current.then(
      (shared) => {
        if (shared !== producer || this.sharedProducer !== current) return;
        this.sharedProducer = undefined;
        void producer.disconnect().catch(() => undefined);
      },
      () => undefined,
    );
  }

  consumer(options: ConsumerOptions): MessageConsumer {
    const consumer = new KafkaJsConsumer(this.kafka, options, this.naming, () => this.consumers.delete(consumer));
    this.consumers.add(consumer);
    return consumer;
  }

  async ping(): Promise<void> {
    const admin = await this.connectedAdmin();
    await admin.describeCluster();
  }

  async topicExtents(topics: string[]): Promise<PartitionExtent[]> {
    const admin = await this.connectedAdmin();
    const extents: PartitionExtent[] = [];
    for (const topic of topics) {
      for (const { partition, low, high } of await admin.fetchTopicOffsets(this.naming.toWire(topic))) {
        extents.push({ topic, partition, earliest: low, end: high });
      }
    }
    return extents;
  }

  async committedOffsets(groupId: string, topics: string[]): Promise<CommittedOffset[]> {
    const admin = await this.connectedAdmin();
    const answers = await admin.fetchOffsets({ groupId, topics: topics.map((topic) => this.naming.toWire(topic)) });
    return answers.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, offset }) => ({ topic: this.naming.fromWire(topic), partition, offset })),
    );
  }

  async activeMembers(groupId: string): Promise<number> {
    const admin = await this.connectedAdmin();
    const { groups } = await admin.describeGroups([groupId]);
    return groups.find((group) => group.groupId === groupId)?.members.length ?? 0;
  }

  async listTopics(): Promise<string[]> {
    const admin = await this.connectedAdmin();
    return (await admin.listTopics()).filter((topic) => this.naming.owns(topic)).map((topic) => this.naming.fromWire(topic));
  }

  async readPartitions(ranges: PartitionRange[]): Promise<IncomingRecord[][]> {
    const admin = await this.connectedAdmin();
    const max = (a: bigint, b: bigint) => (a > b ? a : b);
    const min = (a: bigint, b: bigint) => (a < b ? a : b);
    const wanted = await Promise.all(
      ranges.map(async (range) => {
        const wire = this.naming.toWire(range.topic);
        const extent = (await admin.fetchTopicOffsets(wire)).find((candidate) => candidate.partition === range.partition);
        if (!extent) throw new Error(`${range.topic} has no partition ${range.partition}`);
        const from = max(BigInt(extent.low), BigInt(range.from ?? extent.low));
        const until = min(BigInt(extent.high), BigInt(range.until ?? extent.high));
        // By offset: a fetch made before the seek took effect may deliver a record twice.
        return { ...range, wire, from, until, records: new Map<string, IncomingRecord>(), done: from >= until };
      }),
    );
    const open = wanted.filter((range) => !range.done);
    if (open.length > 0) {
      // kafkajs reads only as a member of a group: a throwaway one that never commits, so it
      // leaves no offsets behind and moves nobody's position.
      const consumer = this.kafka.consumer({
        groupId: `${this.clientId}-reader-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 100,
      });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [...new Set(open.map((range) => range.wire))], fromBeginning: true });
        let finished: () => void = () => undefined;
        const readAll = new Promise<void>((resolve) => {
          finished = resolve;
        });
        await consumer.run({
          autoCommit: false,
          partitionsConsumedConcurrently: open.length,
          eachBatch: async ({ batch }) => {
            for (const range of open) {
              if (range.wire !== batch.topic || range.partition !== batch.partition) continue;
              for (const message of batch.messages) {
                const offset = BigInt(message.offset);
                if (offset < range.from || offset >= range.until) continue;
                range.records.set(message.offset, {
                  topic: range.topic,
                  partition: range.partition,
                  offset: message.offset,
                  key: message.key,
                  value: message.value,
                  headers: message.headers ?? {},
                });
              }
              // Compaction leaves gaps in offsets, so the end is judged by the batch, not by a record.
              if (BigInt(batch.lastOffset()) + 1n >= range.until) range.done = true;
            }
            if (open.every((range) => range.done)) finished();
          },
        });
        for (const range of open) consumer.seek({ topic: range.wire, partition: range.partition, offset: range.from.toString() });
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          readAll,
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`reading ${open.map((range) => range.topic).join(', ')} took longer than 30 s`)),
              30_000,
            );
          }),
        ]).finally(() => clearTimeout(timer));
      } finally {
        await consumer.disconnect();
      }
    }
    return wanted.map((range) => [...range.records.values()].sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1)));
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    const [producer, admin] = [this.sharedProducer, this.admin];
    this.sharedProducer = undefined;
    this.admin = undefined;
    await Promise.all([
      producer?.then((p) => p.disconnect()).catch(() => undefined),
      admin?.then((a) => a.disconnect()).catch(() => undefined),
    ]);
  }

  private async connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin.catch((error) => {
      this.admin = undefined;
      throw error;
    });
  }
}

class KafkaJsConsumer implements MessageConsumer {
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerOptions,
    private readonly naming: TopicNaming,
    private readonly onStopped: () => void,
  ) {}

  async start(handleBatch: (batch: IncomingBatch, control: BatchControl) => Promise<void>): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // A fetch answers as soon as there is a record; under load records pile up while a batch
      // is being handled, so batches grow by themselves. Idle, a consumer asks twice a second.
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    await consumer.connect();
    // A group that starts for the first time reads from the beginning: events published before
    // a service was first deployed are still its to handle.
    await consumer.subscribe({ topics: this.options.topics.map((topic) => this.naming.toWire(topic)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 3,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary }) => {
        const topic = this.naming.fromWire(batch.topic);
        await handleBatch(
          {
            topic,
            partition: batch.partition,
            records: batch.messages.map((message) => ({
              topic,
              partition: batch.partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: message.headers ?? {},
            })),
          },
          {
            heartbeat,
            shouldContinue: () => isRunning() && !isStale(),
            commit: async (offset) => {
              // Resolving moves this consumer's fetch position; committing makes it the group's.
              // The batch-scoped commit still goes through while the consumer is stopping
              // (consumer.commitOffsets silently does nothing then), which a drain needs.
              resolveOffset(offset);
              await commitOffsetsIfNecessary({
                topics: [
                  {
                    topic: batch.topic,
                    partitions: [{ partition: batch.partition, offset: (BigInt(offset) + 1n).toString() }],
                  },
                ],
              });
            },
          },
        );
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    // disconnect() stops fetching and waits for the running eachBatch to return.
    await consumer?.disconnect();
    this.onStopped();
  }
}

class TopicNaming {
  constructor(private readonly prefix: string) {}

  toWire(topic: string): string {
    return this.prefix + topic;
  }

  owns(topic: string): boolean {
    return topic.startsWith(this.prefix);
  }

  fromWire(topic: string): string {
    return topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic;
  }
}
