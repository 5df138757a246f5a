import type { DEAD_LETTER_KINDS } from '@mallard/contracts';
import type { IncomingRecord, MessageProducer } from '../broker/message-broker.js';

export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

/**
 * Copies a message the consumer cannot apply to the group's dead-letter topic, unchanged, with
 * headers that say why and where it came from, so it can be inspected and replayed.
 */
export async function sendToDeadLetter(
  producer: MessageProducer,
  deadLetterTopic: string,
  consumerGroup: string,
  record: IncomingRecord,
  kind: DeadLetterKind,
  reason: string,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  Object.assign(headers, {
    dlq_kind: kind,
    dlq_reason: reason,
    dlq_consumer_group: consumerGroup,
    dlq_source_topic: record.topic,
    dlq_source_partition: String(record.partition),
    dlq_source_offset: record.offset,
    dlq_failed_at: new Date().toISOString(),
  });
  await producer.send([
    {
      topic: deadLetterTopic,
      key: record.key?.toString() ?? '',
      value: record.value ?? Buffer.alloc(0),
      headers,
    },
  ]);
}
