import type { InterceptionRefusalReason, SubOrderState } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A sub-order as the read model knows it: the newest version logistics reported (0: only the split is known). */
@Entity('sub_order_view')
@Index(['orderId'])
export class SubOrderView {
  @PrimaryColumn('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text') state: SubOrderState;
  @Column('int') version: number;
  /** Why the shopper's request to stop it was refused; null: not refused (or not asked). */
  @Column('text', { name: 'interception_refused', nullable: true }) interceptionRefused: InterceptionRefusalReason | null;
  /** Its third-party platform purchase failed for good: staff must settle it. */
  @Column('boolean', { name: 'purchase_failed', default: false }) purchaseFailed: boolean;
}
