import type { TenderType } from '@mallard/contracts';
import { minorUnits } from '@mallard/platform';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type RefundState = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'REJECTED';
export type RefundSource = 'EVENT' | 'STAFF' | 'AUTO';
/** Staff refund ids and system ones (events, automatic refunds) never meet: unique per space. */
export type RefundKeySpace = 'STAFF' | 'SYSTEM';

export function keySpaceOf(source: RefundSource): RefundKeySpace {
  return source === 'STAFF' ? 'STAFF' : 'SYSTEM';
}

/**
 * What staff may type as a refundId: letters, digits, `.`, `_`, `-`, up to 128. No `:`, so a
 * staff id never even spells a system one (`auto:<paymentId>`, `<orderId>:<reason>:<paymentId>`).
 */
export const STAFF_REFUND_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

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
  @Column('bigint', { name: 'amount_minor', transformer: minorUnits }) amountMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('text') reason: string;
  @Column('text') source: RefundSource;
  @Column('text') state: RefundState;
  @Column('text', { nullable: true }) failure: string | null;
  @Column('text', { name: 'requested_by', nullable: true }) requestedBy: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}

/** The share of a refund that goes back to one tender. */
@Entity('refund_part')
export class RefundPartRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'refund_id' }) refundId: string;
  @Column('bigint', { name: 'tender_id' }) tenderId: string;
  @Column('text') type: TenderType;
  @Column('bigint', { name: 'amount_minor', transformer: minorUnits }) amountMinor: number;
  @Column('bigint', { nullable: true, transformer: minorUnits }) points: number | null;
  @Column('text', { nullable: true }) provider: string | null;
  @Column('text', { name: 'provider_ref', nullable: true }) providerRef: string | null;
  @Column('text') state: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  @Column('int') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}
