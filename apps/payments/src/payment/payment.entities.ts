import type { PaymentProviderName, TenderType } from '@mallard/contracts';
import { minorUnits } from '@mallard/platform';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PaymentState } from './payment-state.js';

/** One attempt to pay a parent order, with our serial number and the provider's reference. */
@Entity('payment')
export class Payment {
  @PrimaryColumn('uuid') id: string;
  @Column('text') serial: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { name: 'amount_minor', transformer: minorUnits }) amountMinor: number;
  @Column('text') state: PaymentState;
  @Column('text', { nullable: true }) provider: PaymentProviderName | null;
  @Column('text', { name: 'provider_ref', nullable: true }) providerRef: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: TypeORM's update types refuse `unknown` inside a jsonb column
  @Column('jsonb', { name: 'client_action', nullable: true }) clientAction: Record<string, any> | null;
  @Column('bigint', { name: 'refunded_minor', transformer: minorUnits }) refundedMinor: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'succeeded_at', nullable: true }) succeededAt: Date | null;
}

export type TenderState = 'HELD' | 'CAPTURED' | 'RELEASED';

/** One part of a payment: a gift card, points, or the external provider. */
@Entity('tender')
export class Tender {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'payment_id' }) paymentId: string;
  @Column('int') position: number;
  @Column('text') type: TenderType;
  @Column('bigint', { name: 'amount_minor', transformer: minorUnits }) amountMinor: number;
  @Column('text', { name: 'gift_card_code', nullable: true }) giftCardCode: string | null;
  @Column('bigint', { nullable: true, transformer: minorUnits }) points: number | null;
  @Column('text', { nullable: true }) provider: PaymentProviderName | null;
  @Column('text') state: TenderState;
  @Column('bigint', { name: 'refunded_minor', transformer: minorUnits }) refundedMinor: number;
  @Column('bigint', { name: 'refunded_points', transformer: minorUnits }) refundedPoints: number;
  @Column('timestamptz', { name: 'captured_at', nullable: true }) capturedAt: Date | null;
}

/** Append-only: one row per state change of a payment, and nothing changes without one. */
@Entity('payment_log')
export class PaymentLogEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'payment_id' }) paymentId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: PaymentState | null;
  @Column('text', { name: 'to_state' }) toState: PaymentState;
  @Column('text', { nullable: true }) reason: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: TypeORM's update types refuse `unknown` inside a jsonb column
  @Column('jsonb', { nullable: true }) detail: Record<string, any> | null;
  @Column('timestamptz') at: Date;
}

/** An Idempotency-Key of a payment request and the first answer given to it. */
@Entity('payment_request')
export class PaymentRequestRecord {
  @PrimaryColumn('text', { name: 'buyer_id' }) buyerId: string;
  @PrimaryColumn('text', { name: 'idempotency_key' }) idempotencyKey: string;
  @Column('text', { name: 'request_hash' }) requestHash: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'payment_id' }) paymentId: string;
  @Column('int', { nullable: true }) status: number | null;
  @Column('jsonb', { nullable: true }) response: unknown;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
