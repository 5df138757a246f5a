import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The saga's trail: every state an order went through, why and when. */
@Entity('order_state_change')
@Index(['orderId', 'id'])
export class OrderStateChange {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: string | null;
  @Column('text', { name: 'to_state' }) toState: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
}
