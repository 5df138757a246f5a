import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SpreadSlice } from './refund-breakdown.js';

/** Whose refund it was, which says where its lines come from (docs/domain.md §2, "Credit notes"). */
export type SettledRefundKind = 'COMPENSATION' | 'AFTER_SALES' | 'STAFF';

/**
 * A refund payments made of a split order (refund.succeeded): the credit notes that follow it are
 * issued once both it and the invoice it corrects exist, whichever comes first.
 */
@Entity('settled_refund')
export class SettledRefund {
  @PrimaryColumn('text', { name: 'refund_id' }) refundId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text') kind: SettledRefundKind;
  @MoneyColumn({ name: 'amount_minor' }) amountMinor: number;
  /** A staff refund's amount spread over the sub-orders' lines, worked out at its first issuance after the split. */
  @Column('jsonb', { nullable: true }) spread: SpreadSlice[] | null;
  @Column('timestamptz', { name: 'succeeded_at' }) succeededAt: Date;
}
