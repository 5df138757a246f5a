import type { SubOrderActorKind, SubOrderState } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every state a sub-order went through: who moved it, why and when. */
@Entity('sub_order_state_change')
@Index(['subOrderId', 'id'])
export class SubOrderStateChange {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: SubOrderState | null;
  @Column('text', { name: 'to_state' }) toState: SubOrderState;
  @Column('text', { name: 'actor_kind' }) actorKind: SubOrderActorKind;
  @Column('text', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
}
