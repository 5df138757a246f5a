import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PaymentState } from './payment-state.js';

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
