import { minorUnits } from '@mallard/platform';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('gift_card')
export class GiftCard {
  @PrimaryColumn('text') code: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { name: 'initial_minor', transformer: minorUnits }) initialMinor: number;
  @Column('bigint', { name: 'balance_minor', transformer: minorUnits }) balanceMinor: number;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('text', { name: 'issued_by', nullable: true }) issuedBy: string | null;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt: Date;
}

export type LedgerKind = 'ISSUE' | 'GRANT' | 'DEBIT' | 'CREDIT';

/** Append-only ledger of a gift card: how much, when, for which order, and the balance after. */
@Entity('gift_card_entry')
export class GiftCardEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text') code: string;
  @Column('text') kind: LedgerKind;
  @Column('bigint', { name: 'delta_minor', transformer: minorUnits }) deltaMinor: number;
  @Column('bigint', { name: 'balance_after', transformer: minorUnits }) balanceAfter: number;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId: string | null;
  @Column('uuid', { name: 'refund_id', nullable: true }) refundId: string | null;
  @Column('text') reason: string;
  @Column('timestamptz') at: Date;
}

@Entity('points_account')
export class PointsAccount {
  @PrimaryColumn('text', { name: 'buyer_id' }) buyerId: string;
  @Column('bigint', { transformer: minorUnits }) balance: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** Append-only ledger of a shopper's points. */
@Entity('points_entry')
export class PointsEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  @Column('text') kind: LedgerKind;
  @Column('bigint', { name: 'delta_points', transformer: minorUnits }) deltaPoints: number;
  @Column('bigint', { name: 'balance_after', transformer: minorUnits }) balanceAfter: number;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId: string | null;
  @Column('uuid', { name: 'refund_id', nullable: true }) refundId: string | null;
  @Column('text', { name: 'grant_id', nullable: true }) grantId: string | null;
  @Column('text') reason: string;
  @Column('timestamptz') at: Date;
}
