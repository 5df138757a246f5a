import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An Idempotency-Key of a payment request and the first answer given to it. */
@Entity('payment_request')
export class PaymentRequest {
  @PrimaryColumn('text', { name: 'buyer_id' }) buyerId: string;
  @PrimaryColumn('text', { name: 'idempotency_key' }) idempotencyKey: string;
  @Column('text', { name: 'request_hash' }) requestHash: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'payment_id' }) paymentId: string;
  @Column('int', { nullable: true }) status: number | null;
  @Column('jsonb', { nullable: true }) response: unknown;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
