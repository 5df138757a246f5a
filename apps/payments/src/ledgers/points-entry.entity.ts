import { CountColumn } from '@mallard/platform';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LedgerKind } from './ledger-kind.js';

/** Append-only ledger of a shopper's points (counts of points, not money). */
@Entity('points_entry')
export class PointsEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  @Column('text') kind: LedgerKind;
  @CountColumn({ name: 'delta_points' }) deltaPoints: number;
  @CountColumn({ name: 'balance_after' }) balanceAfter: number;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId: string | null;
  @Column('uuid', { name: 'refund_id', nullable: true }) refundId: string | null;
  @Column('text', { name: 'grant_id', nullable: true }) grantId: string | null;
  @Column('text') reason: string;
  @Column('timestamptz') at: Date;
}
