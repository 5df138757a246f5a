import type { InterceptionRefusalReason } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type InterceptionOutcome = 'REQUESTED' | 'STOPPED' | 'REFUSED';

/** The shopper's request to stop one sub-order, and how it ended: one per sub-order, however often asked. */
@Entity('sub_order_interception')
@Index(['orderId'])
export class SubOrderInterception {
  @PrimaryColumn('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  /** REQUESTED while a merchant has not answered yet. */
  @Column('text') outcome: InterceptionOutcome;
  @Column('text', { nullable: true }) reason: InterceptionRefusalReason | string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
}
