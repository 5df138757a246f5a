import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PayableOrderState = 'OPEN' | 'CLOSED';

/**
 * Payments' own copy of an order it may take money for, from order.placed and order.cancelled.
 * A cancellation seen before the placement leaves a CLOSED row without amounts.
 */
@Entity('payable_order')
export class PayableOrder {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'buyer_id', nullable: true }) buyerId: string | null;
  @Column('char', { length: 3, nullable: true }) currency: string | null;
  @MoneyColumn({ name: 'payable_minor', nullable: true }) payableMinor: number | null;
  @Column('text') state: PayableOrderState;
  @Column('text', { name: 'close_reason', nullable: true }) closeReason: string | null;
  @Column('timestamptz', { name: 'placed_at', nullable: true }) placedAt: Date | null;
  @Column('timestamptz', { name: 'payment_due_at', nullable: true }) paymentDueAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
