import type { InterceptionFlag, OrderState, RefundedFlag, ShopperOrderStatus } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The gateway's view of one order, put together from the events of orders, payments,
 * logistics and after-sales, with the shopper's status rolled up from it. A row may exist before its
 * `order.placed` arrives (another topic was quicker): it has no buyer then, and nobody sees it.
 */
@Entity('order_view')
@Index(['buyerId', 'placedAt'])
@Index(['buyerId', 'shopperStatus', 'placedAt', 'orderId'])
export class OrderView {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'buyer_id', nullable: true }) buyerId: string | null;
  @Column('timestamptz', { name: 'placed_at', nullable: true }) placedAt: Date | null;
  @Column('text', { name: 'orders_state', nullable: true }) ordersState: OrderState | null;
  @Column('text', { name: 'state_reason', nullable: true }) stateReason: string | null;
  @Column('text', { nullable: true }) currency: string | null;
  @MoneyColumn({ name: 'payable', nullable: true }) payable: number | null;
  /** Units over all lines, as "My orders" shows them. */
  @Column('int', { name: 'item_count', nullable: true }) itemCount: number | null;
  @MoneyColumn({ name: 'paid_amount', default: 0 }) paidAmount: number;
  @MoneyColumn({ name: 'refunded_amount', default: 0 }) refundedAmount: number;
  @Column('text', { name: 'shopper_status', nullable: true }) shopperStatus: ShopperOrderStatus | null;
  /** The shopper cancelled after paying: every sub-order is being asked to stop. */
  @Column('boolean', { name: 'interception_requested', default: false }) interceptionRequested: boolean;
  @Column('text', { name: 'interception_flag', default: 'NONE' }) interceptionFlag: InterceptionFlag;
  @Column('text', { name: 'refunded_flag', default: 'NONE' }) refundedFlag: RefundedFlag;
  @Column('boolean', { name: 'exception_flag', default: false }) exceptionFlag: boolean;
  /** Some after-sales request of the order has not ended. */
  @Column('boolean', { name: 'after_sales_flag', default: false }) afterSalesFlag: boolean;
  /** +1 with every change of the status or its flags: what a live page compares. */
  @Column('int', { name: 'status_version', default: 0 }) statusVersion: number;
  /** Every live parcel delivered: the last delivery plus the after-sales window, when the order completes. */
  @Column('timestamptz', { name: 'completes_at', nullable: true }) completesAt: Date | null;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
