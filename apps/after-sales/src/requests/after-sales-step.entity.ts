import type { AfterSalesActorKind, AfterSalesState } from '@mallard/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One step of a request: who moved it, from where to where, when, and why. */
@Entity('after_sales_step')
@Index(['requestId', 'id'])
export class AfterSalesStep {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'request_id' }) requestId: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: AfterSalesState | null;
  @Column('text', { name: 'to_state' }) toState: AfterSalesState;
  @Column('text', { name: 'actor_kind' }) actorKind: AfterSalesActorKind;
  @Column('text', { name: 'actor_id', nullable: true }) actorId: string | null;
  /** Decided by an auto-approval rule. */
  @Column('boolean') automatic: boolean;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz') at: Date;
}
