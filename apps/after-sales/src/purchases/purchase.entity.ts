import type { OrderPurchaseRecordedV1 } from '@mallard/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An order as orders recorded it at its split: the figures every refund of it is calculated from. */
@Entity('purchase')
export class Purchase {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('jsonb') record: OrderPurchaseRecordedV1;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}
