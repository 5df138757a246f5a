import type { PaymentProviderName, TenderType } from '@mallard/contracts';
import { CountColumn, MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TenderState = 'HELD' | 'CAPTURED' | 'RELEASED';

/** One part of a payment: a gift card, points, or the external provider. */
@Entity('tender')
export class Tender {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'payment_id' }) paymentId: string;
  @Column('int') position: number;
  @Column('text') type: TenderType;
  @MoneyColumn({ name: 'amount_minor' }) amountMinor: number;
  @Column('text', { name: 'gift_card_code', nullable: true }) giftCardCode: string | null;
  /** A count of points, not money. */
  @CountColumn({ nullable: true }) points: number | null;
  @Column('text', { nullable: true }) provider: PaymentProviderName | null;
  @Column('text') state: TenderState;
  @MoneyColumn({ name: 'refunded_minor' }) refundedMinor: number;
  /** A count of points, not money. */
  @CountColumn({ name: 'refunded_points' }) refundedPoints: number;
  @Column('timestamptz', { name: 'captured_at', nullable: true }) capturedAt: Date | null;
}
