import type { ParcelState } from '@mallard/contracts';
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One line of a parcel's tracking history, as a carrier reported it; kept whether or not it moved the parcel. */
@Entity('parcel_checkpoint')
@Unique(['parcelId', 'dedupeKey'])
export class ParcelCheckpoint {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'parcel_id' }) parcelId: string;
  @Column('text') provider: string;
  @Column('text', { name: 'provider_status' }) providerStatus: string;
  /** The normalised state it says, or null: history only. */
  @Column('text', { nullable: true }) state: ParcelState | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('text') message: string;
  @Column('text', { nullable: true }) location: string | null;
  @Column('text', { name: 'dedupe_key' }) dedupeKey: string;
  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' }) recordedAt: Date;
}
