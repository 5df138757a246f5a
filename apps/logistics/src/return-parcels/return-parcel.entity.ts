import type { ParcelState } from '@mallard/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The parcel an after-sales request's goods come back in, followed by its carrier's tracking like
 * any parcel. It has no state until the carrier first reports one: the shopper's word that it was
 * sent, or a pickup the merchant booked, is not a carrier's scan.
 */
@Entity('return_parcel')
@Index('return_parcel_tracking', ['trackingNumber'])
export class ReturnParcel {
  @PrimaryColumn('uuid') id: string;
  /** One return parcel per request. */
  @Column('uuid', { name: 'request_id', unique: true }) requestId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'carrier_code' }) carrierCode: string;
  @Column('text', { name: 'tracking_number' }) trackingNumber: string;
  /** Null until the carrier's first report. */
  @Column('text', { nullable: true }) state: ParcelState | null;
  /** When its state was reached, by the carrier's clock. */
  @Column('timestamptz', { name: 'state_at', nullable: true }) stateAt: Date | null;
  /** 0 until the first state; up by one with every state change, as published. */
  @Column('int') version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
