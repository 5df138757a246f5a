import type { AfterSalesState, AfterSalesType } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An after-sales request as the read model knows it: the newest version after-sales published. */
@Entity('after_sales_view')
@Index(['orderId'])
export class AfterSalesView {
  @PrimaryColumn('uuid', { name: 'request_id' }) requestId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text') state: AfterSalesState;
  @Column('text') type: AfterSalesType;
  @Column('int') version: number;
  /** When that version's step was taken (the event's `occurredAt`). */
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
