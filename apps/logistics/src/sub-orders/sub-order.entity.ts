import type { FulfilmentType, SubOrderState } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface SubOrderReceiver {
  name: string;
  phone: string;
  address: { country: string; province?: string; city: string; district?: string; street: string; postalCode?: string };
}

export interface SubOrderDeliverySlot {
  date: string;
  from: string;
  to: string;
}

/**
 * Logistics' copy of a sub-order orders split off a paid order, or the replacement of an exchange:
 * what to send, to whom, and where it stands.
 */
@Entity('sub_order')
@Index(['warehouseId', 'state', 'createdAt'])
@Index(['orderId'])
export class SubOrder {
  /** Orders' sub-order id. */
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  /** 0 for the first sub-order of its order. */
  @Column('int') position: number;
  @Column('text', { name: 'warehouse_id' }) warehouseId: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text', { name: 'fulfilment_type' }) fulfilmentType: FulfilmentType;
  @Column('text') state: SubOrderState;
  /** +1 with every change, carried by its events so readers keep the newest. */
  @Column('int') version: number;
  @Column('char', { length: 3 }) currency: string;
  @MoneyColumn({ name: 'shipping_fee' }) shippingFee: number;
  /** What the shopper paid for it, its shipping fee included. */
  @MoneyColumn({ name: 'paid_amount' }) paidAmount: number;
  @Column('jsonb') receiver: SubOrderReceiver;
  @Column('jsonb', { name: 'delivery_slot', nullable: true }) deliverySlot: SubOrderDeliverySlot | null;
  /** When it was paid; for a replacement, when logistics took it on (nothing was paid for it). */
  @Column('timestamptz', { name: 'paid_at' }) paidAt: Date;
  /** The after-sales request (an exchange) this sub-order sends the replacement of; null for the sub-orders of the split. */
  @Column('uuid', { name: 'replacement_for', nullable: true }) replacementFor: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
