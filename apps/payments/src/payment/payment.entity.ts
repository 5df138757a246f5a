import type { PaymentProviderName } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PaymentState } from '../payment-log/payment-state.js';

/** One attempt to pay a parent order, with our serial number and the provider's reference. */
@Entity('payment')
export class Payment {
  @PrimaryColumn('uuid') id: string;
  @Column('text') serial: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  @Column('char', { length: 3 }) currency: string;
  @MoneyColumn({ name: 'amount_minor' }) amountMinor: number;
  @Column('text') state: PaymentState;
  @Column('text', { nullable: true }) provider: PaymentProviderName | null;
  @Column('text', { name: 'provider_ref', nullable: true }) providerRef: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: TypeORM's update types refuse `unknown` inside a jsonb column
  @Column('jsonb', { name: 'client_action', nullable: true }) clientAction: Record<string, any> | null;
  @MoneyColumn({ name: 'refunded_minor' }) refundedMinor: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'succeeded_at', nullable: true }) succeededAt: Date | null;
}
