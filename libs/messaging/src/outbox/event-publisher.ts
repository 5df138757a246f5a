import { type CloudEvent, type EventDefinition, type EventRegistry, newCloudEvent, toKafkaRecord } from '@mallard/contracts';
import { currentCorrelationId } from '@mallard/platform';
import type { EntityManager } from 'typeorm';
import { OUTBOX_WRITTEN } from './outbox-relay.js';

export interface EventToPublish<TPayload extends object> {
  /** The aggregate the event is about; also the partition key unless one is given. */
  subject: string;
  data: TPayload;
  partitionKey?: string;
}

/**
 * Records events in the outbox inside the caller's transaction: the event exists if and only
 * if the state change it reports was committed.
 */
export class EventPublisher {
  constructor(
    private readonly source: string,
    private readonly registry: EventRegistry,
  ) {}

  async publish<TPayload extends object>(
    manager: EntityManager,
    definition: EventDefinition<TPayload>,
    ...events: EventToPublish<TPayload>[]
  ): Promise<CloudEvent<TPayload>[]> {
    const queryRunner = manager.queryRunner;
    if (!queryRunner?.isTransactionActive) {
      throw new Error(`${definition.type} must be published inside the transaction of the change it reports`);
    }
    const correlationId = currentCorrelationId();
    const cloudEvents = events.map((event) => {
      // Validate what will actually be sent, so a bad payload fails the producer's transaction
      // instead of landing in every consumer's dead-letter topic.
      const data = JSON.parse(JSON.stringify(event.data)) as TPayload;
      this.registry.parse(definition.type, definition.version, data);
      return newCloudEvent({
        type: definition.type,
        version: definition.version,
        source: `mallard/${this.source}`,
        subject: event.subject,
        partitionKey: event.partitionKey,
        correlationId,
        data,
      });
    });
    const records = cloudEvents.map((event) => toKafkaRecord(event));
    // Plain SQL, one statement for all events: this runs inside every state change there is.
    await manager.query(
      `INSERT INTO outbox_message (event_id, event_type, topic, partition_key, headers, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[])`,
      [
        cloudEvents.map((event) => event.id),
        cloudEvents.map((event) => event.type),
        cloudEvents.map(() => definition.topic),
        records.map((record) => record.key),
        records.map((record) => JSON.stringify(record.headers)),
        records.map((record) => record.value.toString()),
      ],
    );
    (queryRunner.data as Record<symbol, unknown>)[OUTBOX_WRITTEN] = true;
    return cloudEvents;
  }
}
