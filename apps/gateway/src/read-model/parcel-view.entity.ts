import type { ParcelState } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A parcel as the read model knows it: the newest version logistics reported. */
@Entity('parcel_view')
@Index(['orderId'])
export class ParcelView {
  @PrimaryColumn('uuid', { name: 'parcel_id' }) parcelId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('text') state: ParcelState;
  @Column('int') version: number;
  /** When the carrier delivered it (its report's time), once it is DELIVERED. */
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}
