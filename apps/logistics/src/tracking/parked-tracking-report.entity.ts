import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A verified carrier report for a tracking number no parcel has yet: the carrier was quicker than
 * our own handover record. Applied, then deleted, when a parcel gets that tracking number.
 */
@Entity('parked_tracking_report')
@Index(['trackingNumber'])
export class ParkedTrackingReport {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text') provider: string;
  @Column('text', { name: 'tracking_number' }) trackingNumber: string;
  /** The report's checkpoints, as parsed (times as ISO strings). */
  @Column('jsonb') report: unknown;
  @Column('timestamptz', { name: 'received_at', default: () => 'now()' }) receivedAt: Date;
}
