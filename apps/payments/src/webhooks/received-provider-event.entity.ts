import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A verified provider callback, recorded once with what it did (applied, ignored and why). */
@Entity('provider_event')
export class ReceivedProviderEvent {
  @PrimaryColumn('text') provider: string;
  @PrimaryColumn('text', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'provider_type' }) providerType: string;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId: string | null;
  @Column('text') outcome: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
}
