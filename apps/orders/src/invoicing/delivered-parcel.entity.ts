import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A parcel the carrier delivered: once a sub-order's units are all delivered or given back, it is invoiced. */
@Entity('delivered_parcel')
export class DeliveredParcel {
  @PrimaryColumn('uuid', { name: 'parcel_id' }) parcelId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('jsonb') lines: { lineId: string; quantity: number }[];
  @Column('timestamptz', { name: 'delivered_at' }) deliveredAt: Date;
}
