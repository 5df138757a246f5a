import type { ParcelState } from '@mallard/contracts';
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One line of a return parcel's tracking history, as a carrier reported it; kept whether or not it moved the parcel. */
@Entity('return_parcel_checkpoint')
@Unique(['returnParcelId', 'dedupeKey'])
export class ReturnParcelCheckpoint {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'return_parcel_id' }) returnParcelId: string;
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
