import type { ParcelState } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A parcel of an order as logistics last reported it: what was delivered, and when. */
@Entity('parcel')
@Index(['orderId'])
export class Parcel {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('text') state: ParcelState;
  /** Logistics' version of the parcel: a late report never overwrites a newer one. */
  @Column('int') version: number;
  @Column('jsonb') lines: { lineId: string; skuId: string; quantity: number }[];
  @Column('timestamptz', { name: 'handed_over_at', nullable: true }) handedOverAt: Date | null;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}
