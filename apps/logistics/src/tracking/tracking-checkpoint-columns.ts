import type { ParcelState } from '@mallard/contracts';
import { Column, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The columns of one line of a tracking history, as a carrier reported it, kept whether or not it
 * moved its parcel: the same for outbound and return parcels, which differ only in what they belong to.
 */
export abstract class TrackingCheckpointColumns {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
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
