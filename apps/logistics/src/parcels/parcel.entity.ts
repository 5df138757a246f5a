import type { ParcelSource, ParcelState } from '@mallard/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One box of a sub-order on its way: its normalised state, and the carrier that has it. */
@Entity('parcel')
@Index(['subOrderId'])
@Index(['orderId'])
export class Parcel {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text') state: ParcelState;
  /** When its state was reached, by the reporter's clock. */
  @Column('timestamptz', { name: 'state_at' }) stateAt: Date;
  @Column('int') version: number;
  @Column('text', { name: 'carrier_code', nullable: true }) carrierCode: string | null;
  @Column('text', { name: 'tracking_number', nullable: true }) trackingNumber: string | null;
  @Column('text') source: ParcelSource;
  @Column('timestamptz', { name: 'handed_over_at', nullable: true }) handedOverAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
