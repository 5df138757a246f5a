import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An event this consumer group has applied. Inserted in the handler's own transaction, so an
 * event redelivered after a crash or a rebalance finds its row and has no second effect.
 */
@Entity('inbox_message')
export class InboxMessage {
  @PrimaryColumn('text', { name: 'consumer_group' })
  consumerGroup: string;

  @PrimaryColumn('text', { name: 'event_id' })
  eventId: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('timestamptz', { name: 'processed_at', default: () => 'now()' })
  processedAt: Date;
}
