import { type EventDefinition, newCloudEvent, toKafkaRecord } from '@mallard/contracts';
import { type IHeaders, Kafka, logLevel } from 'kafkajs';
import { infrastructure, uniqueSuffix, wireTopic } from './service-harness.js';

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

/** Sends raw records, bypassing the outbox: for poison messages and redeliveries. */
export async function sendRaw(
  topic: string,
  messages: { key: string; value: string | null; headers?: Record<string, string> }[],
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
