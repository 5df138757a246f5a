import { newCloudEvent, toKafkaRecord, type CloudEvent, type EventDefinition, type EventRegistry } from '@mallard/contracts';
import { currentCorrelationId } from '@mallard/platform';
import type { EntityManager } from 'typeorm';
import { OutboxMessage } from './outbox-message.entity.js';
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
    await manager.getRepository(OutboxMessage).insert(
      cloudEvents.map((event) => {
        const record = toKafkaRecord(event);
        return {
          eventId: event.id,
          eventType: event.type,
          topic: definition.topic,
          partitionKey: record.key,
          headers: record.headers,
          value: record.value.toString(),
        };
      }),
    );
    (queryRunner.data as Record<symbol, unknown>)[OUTBOX_WRITTEN] = true;
    return cloudEvents;
  }
}
