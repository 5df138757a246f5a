import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RefundKeySpace } from './refund-keys.js';

export type RefundState = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'REJECTED';
export type RefundSource = 'EVENT' | 'STAFF' | 'AUTO';

/** A refund of (part of) a payment, idempotent by its key (the requester's refundId). */
@Entity('refund')
export class Refund {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'refund_key' }) refundKey: string;
  @Column('text', { name: 'key_space' }) keySpace: RefundKeySpace;
  @Column('text', { name: 'request_hash' }) requestHash: string;
  @Column('text') serial: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId: string | null;
  @MoneyColumn({ name: 'amount_minor' }) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('text') reason: string;
  @Column('text') source: RefundSource;
  @Column('text') state: RefundState;
  @Column('text', { nullable: true }) failure: string | null;
  @Column('text', { name: 'requested_by', nullable: true }) requestedBy: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}
