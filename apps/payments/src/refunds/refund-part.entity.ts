import type { TenderType } from '@mallard/contracts';
import { CountColumn, MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The share of a refund that goes back to one tender. */
@Entity('refund_part')
export class RefundPart {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'refund_id' }) refundId: string;
  @Column('bigint', { name: 'tender_id' }) tenderId: string;
  @Column('text') type: TenderType;
  @MoneyColumn({ name: 'amount_minor' }) amountMinor: number;
  /** A count of points, not money. */
  @CountColumn({ nullable: true }) points: number | null;
  @Column('text', { nullable: true }) provider: string | null;
  @Column('text', { name: 'provider_ref', nullable: true }) providerRef: string | null;
  @Column('text') state: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  @Column('int') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}
