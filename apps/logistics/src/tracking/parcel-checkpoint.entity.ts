import { Column, Entity, Unique } from 'typeorm';
import { TrackingCheckpointColumns } from './tracking-checkpoint-columns.js';

/** One line of a parcel's tracking history. */
@Entity('parcel_checkpoint')
@Unique(['parcelId', 'dedupeKey'])
export class ParcelCheckpoint extends TrackingCheckpointColumns {
  @Column('uuid', { name: 'parcel_id' }) parcelId: string;
}
