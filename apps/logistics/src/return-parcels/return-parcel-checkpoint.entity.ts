import { Column, Entity, Unique } from 'typeorm';
import { TrackingCheckpointColumns } from '../tracking/tracking-checkpoint-columns.js';

/** One line of a return parcel's tracking history. */
@Entity('return_parcel_checkpoint')
@Unique(['returnParcelId', 'dedupeKey'])
export class ReturnParcelCheckpoint extends TrackingCheckpointColumns {
  @Column('uuid', { name: 'return_parcel_id' }) returnParcelId: string;
}
