import { MoneyColumn } from '@mallard/platform';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CompensatedLine } from './compensation-amounts.js';

export type CompensationKind = 'SUB_ORDER_STOPPED' | 'PARCEL_REJECTED' | 'PARCEL_RETURNED' | 'AFTER_SALES_REFUND';

/**
 * What orders gave back for one stopped sub-order, or one parcel the shopper refused or that came
 * back: one row per cause (its id), so a redelivered event refunds and restocks nothing twice.
 * An AFTER_SALES_REFUND row is what an after-sales refund gave back of one sub-order: orders asked
 * payments for nothing, but counts its units and fee as given back, so that a parcel refused or a
 * sub-order stopped afterwards refunds only the rest.
 */
@Entity('compensation')
@Index(['subOrderId'])
export class Compensation {
  /** `<kind>:<sub-order or parcel id>` (`AFTER_SALES_REFUND:<request id>:<sub-order id>`); also the refund and restock requests' ids. */
  @PrimaryColumn('text') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('uuid', { name: 'parcel_id', nullable: true }) parcelId: string | null;
  @Column('text') kind: CompensationKind;
  /** The refund, the fee included; of an AFTER_SALES_REFUND row, what after-sales asked payments for (its lines' refundedMinor). */
  @MoneyColumn({ name: 'refund_amount' }) refundAmount: number;
  @MoneyColumn({ name: 'shipping_fee_refunded' }) shippingFeeRefunded: number;
  /** The units given back; a PARCEL_RETURNED row restocks them and refunds nothing (its parcel's refusal, or after-sales, did). */
  @Column('jsonb') lines: CompensatedLine[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
