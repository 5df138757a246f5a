import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One Idempotency-Key of one buyer: the fingerprint of the body it was first used with and the
 * order it created, so a retry gets the same order and a reused key with another body is refused.
 */
@Entity('placement_request')
export class PlacementRequest {
  @PrimaryColumn('text', { name: 'buyer_id' }) buyerId: string;
  @PrimaryColumn('text', { name: 'idempotency_key' }) idempotencyKey: string;
  @Column('text', { name: 'request_hash' }) requestHash: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
