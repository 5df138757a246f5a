import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LedgerKind } from './ledger-kind.js';

/** Append-only ledger of a gift card: how much, when, for which order, and the balance after. */
@Entity('gift_card_entry')
export class GiftCardEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text') code: string;
  @Column('text') kind: LedgerKind;
  @MoneyColumn({ name: 'delta_minor' }) deltaMinor: number;
  @MoneyColumn({ name: 'balance_after' }) balanceAfter: number;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('uuid', { name: 'payment_id', nullable: true }) paymentId: string | null;
  @Column('uuid', { name: 'refund_id', nullable: true }) refundId: string | null;
  @Column('text') reason: string;
  @Column('timestamptz') at: Date;
}
