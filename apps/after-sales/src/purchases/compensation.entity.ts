import type { OrderCompensatedV1 } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What orders gave back without a request (a stopped sub-order, a refused parcel): refunds count it. */
@Entity('compensation')
@Index(['orderId'])
export class Compensation {
  @PrimaryColumn('text') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('jsonb') record: OrderCompensatedV1;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}
