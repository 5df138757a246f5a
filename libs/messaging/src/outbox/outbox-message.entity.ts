import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event written in the same transaction as the state change it reports, waiting for the
 * relay. Rows are deleted once Kafka has acknowledged them: Kafka is the log, not this table.
 */
@Entity('outbox_message')
export class OutboxMessage {
  /** Publication order: the relay sends rows in this order. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  position: string;

  @Column('text', { name: 'event_id', unique: true })
  eventId: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('text')
  topic: string;

  @Column('text', { name: 'partition_key' })
  partitionKey: string;

  /** The CloudEvents Kafka headers, ready to send. */
  @Column('jsonb')
  headers: Record<string, string>;

  /** The event data as JSON text, sent byte for byte. */
  @Column('text')
  value: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
