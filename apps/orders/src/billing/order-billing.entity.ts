import type { BillingType } from '@mallard/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who an order's invoice is made out to, kept apart from the receiver (docs/domain.md §1). Every
 * change is a compare-and-set on `version`, under the order's row lock.
 */
@Entity('order_billing')
export class OrderBilling {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId: string;
  @Column('text') type: BillingType;
  @Column('text') title: string;
  @Column('text', { name: 'tax_id', nullable: true }) taxId: string | null;
  @Column('char', { length: 2 }) country: string;
  @Column('text') email: string;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  /** When the details stopped changing: the first invoice will set it. Null for every order until invoices exist. */
  @Column('timestamptz', { name: 'locked_at', nullable: true }) lockedAt: Date | null;
}
