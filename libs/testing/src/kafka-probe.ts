import { type CloudEvent, type EventDefinition, fromKafkaRecord, newCloudEvent, toKafkaRecord } from '@mallard/contracts';
import { KafkaJsBroker, type MessageConsumer } from '@mallard/messaging';
import { type IHeaders, Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { eventually, infrastructure, TEST_TOPIC_PREFIX, uniqueSuffix, wireTopic } from './service-harness.js';

export interface ReadRecord {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

function kafka(): Kafka {
  return new Kafka({ clientId: 'mallard-test', brokers: infrastructure().kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, (Array.isArray(value) ? value[0] : value)?.toString() ?? '']),
  );
}

/**
 * Reads a topic of this test file's world from the beginning with a throwaway group until
 * `count` records that pass `filter` arrived.
 */
export async function readTopic(
  topic: string,
  count: number,
  timeoutMs = 20_000,
  filter: (record: ReadRecord) => boolean = () => true,
): Promise<ReadRecord[]> {
  const consumer = kafka().consumer({ groupId: `test-reader-${uniqueSuffix()}` });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: wireTopic(topic), fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length}/${count} records from ${topic}`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          const record = {
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: headerText(message.headers),
            partition,
            offset: message.offset,
          };
          if (!filter(record)) return;
          records.push(record);
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Publishes a well-formed event of a contract straight to its topic, as its owner would. */
export async function sendEvent<TPayload extends object>(
  definition: EventDefinition<TPayload>,
  subject: string,
  data: TPayload,
  source = 'mallard/test',
): Promise<string> {
  const event = newCloudEvent({ type: definition.type, version: definition.version, source, subject, data });
  const record = toKafkaRecord(event);
  await sendRaw(definition.topic, [{ key: record.key, value: record.value.toString(), headers: record.headers }]);
  return event.id;
}

/**
 * Sends events in the contract's Kafka binding (binary CloudEvents keyed by their partition
 * key), as their owner's outbox relay would, 500 records to a request.
 */
export async function sendEvents(topic: string, events: readonly CloudEvent[]): Promise<void> {
  const messages = events.map((event) => {
    const record = toKafkaRecord(event);
    return { key: record.key, value: record.value.toString(), headers: record.headers };
  });
  for (let start = 0; start < messages.length; start += 500) await sendRaw(topic, messages.slice(start, start + 500));
}

/** Sends raw records, bypassing the outbox: for poison messages and redeliveries. */
export async function sendRaw(
  topic: string,
  // A partition of its own for a record, where a test needs records of several keys side by side in one partition.
  messages: { key: string; value: string | null; headers?: Record<string, string>; partition?: number }[],
): Promise<void> {
  const producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: wireTopic(topic), messages });
  } finally {
    await producer.disconnect();
  }
}

/** Moves a consumer group back to the start of a topic, as a crash before the offset commit would. */
export async function rewindConsumerGroup(groupId: string, topic: string): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.resetOffsets({ groupId, topic: wireTopic(topic), earliest: true });
  } finally {
    await admin.disconnect();
  }
}

export async function committedOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const [result] = await admin.fetchOffsets({ groupId, topics: [wireTopic(topic)] });
    return result.partitions.map(({ partition, offset }) => ({ partition, offset }));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every event published on some topics of this test file's world since it started, decoded, in
 * arrival order: what a service under test published, read with a consumer group of its own.
 */
export class PublishedEvents {
  /** Everything collected so far. */
  readonly all: CloudEvent<any>[] = [];

  private constructor(
    private readonly broker: KafkaJsBroker,
    private readonly consumer: MessageConsumer,
  ) {}

  /** Starts collecting; `name` (say the service's) only labels the client and its group. */
  static async collect(topics: readonly string[], name = 'test'): Promise<PublishedEvents> {
    const groupId = `${name}-test-reader-${uniqueSuffix()}`;
    const broker = new KafkaJsBroker({
      clientId: groupId,
      brokers: infrastructure().kafkaBrokers.split(','),
      logger: pino({ level: 'silent' }),
      topicPrefix: TEST_TOPIC_PREFIX,
    });
    const collected = new PublishedEvents(broker, broker.consumer({ groupId, topics: [...topics], partitionsConcurrently: 6 }));
    try {
      await collected.consumer.start(async (batch, control) => {
        for (const record of batch.records) collected.all.push(fromKafkaRecord(record));
        // Resolving the offset moves the fetch position on; without it the batch comes again.
        if (batch.records.length > 0) await control.commit(batch.records.at(-1)!.offset);
      });
    } catch (error) {
      await collected.stop();
      throw error;
    }
    return collected;
  }

  /** The events of one type so far, and of one subject (an order id, a SKU id) if given. */
  of<T = any>(definition: EventDefinition, subject?: string): CloudEvent<T>[] {
    return this.all.filter(
      (event) => event.type === definition.type && (subject === undefined || event.subject === subject),
    ) as CloudEvent<T>[];
  }

  /** Waits until `count` events of the type (and subject) arrived; returns all of them. */
  waitFor<T = any>(definition: EventDefinition, subject: string | undefined, count = 1, timeoutMs = 20_000): Promise<CloudEvent<T>[]> {
    return eventually(
      async () => this.of<T>(definition, subject),
      (events) => events.length >= count,
      { timeoutMs },
    );
  }

  async stop(): Promise<void> {
    await this.consumer.stop().catch(() => undefined);
    await this.broker.close().catch(() => undefined);
  }
}
