import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, infrastructure, TEST_TOPIC_PREFIX, uniqueSuffix } from '@mallard/testing';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaJsBroker } from './kafkajs-broker.js';
import type { IncomingRecord } from './message-broker.js';

type Check = (this: unknown) => void;
const require = createRequire(import.meta.url);
const queue = (require('kafkajs/src/network/requestQueue/index.js') as { prototype: { checkPendingRequests: Check } }).prototype;

/** Counts kafkajs's pending-request checks across every connection of this process. */
const original = queue.checkPendingRequests;
let checks = 0;
queue.checkPendingRequests = function counted(this: unknown) {
  checks += 1;
  original.call(this);
};

describe('kafkajs at rest (real Kafka)', () => {
  const broker = new KafkaJsBroker({
    clientId: `idle-${uniqueSuffix()}`,
    brokers: infrastructure().kafkaBrokers.split(','),
    logger: pino({ level: 'silent' }),
    topicPrefix: TEST_TOPIC_PREFIX,
  });
  afterAll(async () => {
    queue.checkPendingRequests = original;
    await broker.close();
  });

  it('leaves an idle consumer and producer without a timer loop, and still delivers what is sent', async () => {
    const topic = `idle-loop-${uniqueSuffix()}`;
    await broker.ensureTopics([{ topic, partitions: 1 }]);
    const received: IncomingRecord[] = [];
    const consumer = broker.consumer({ groupId: `idle-loop-${uniqueSuffix()}`, topics: [topic] });
    await consumer.start(async (batch, control) => {
      received.push(...batch.records);
      await control.commit(batch.records.at(-1)!.offset);
    });
    const producer = await broker.producer();
    await producer.send([{ topic, key: 'k', value: 'first', headers: {} }]);
    const values = async () => received.map((record) => String(record.value));
    expect(await eventually(values, (seen) => seen.length >= 1)).toEqual(['first']);

    // At rest: the consumer's fetches wait on the broker, the producer has nothing to send.
    // With kafkajs's loop, each connection checked its empty queue hundreds of times a second.
    checks = 0;
    await sleep(2_000);
    expect(checks).toBeLessThan(40);

    await producer.send([{ topic, key: 'k', value: 'second', headers: {} }]);
    expect(await eventually(values, (seen) => seen.length >= 2)).toEqual(['first', 'second']);
    await consumer.stop();
  });
});
