import type { ParcelSource, ParcelState } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every state a parcel went through, where the change came from, and when it happened. */
@Entity('parcel_state_change')
@Index(['parcelId', 'id'])
export class ParcelStateChange {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'parcel_id' }) parcelId: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: ParcelState | null;
  @Column('text', { name: 'to_state' }) toState: ParcelState;
  @Column('text') source: ParcelSource;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' }) recordedAt: Date;
}
