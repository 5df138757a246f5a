import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A refund that reached the shopper, once per refund whatever the redeliveries. */
@Entity('refund_view')
@Index(['orderId'])
export class RefundView {
  @PrimaryColumn('text', { name: 'refund_id' }) refundId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @MoneyColumn() amount: number;
}
