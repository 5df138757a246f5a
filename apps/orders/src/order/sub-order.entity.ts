import type { FulfilmentType } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ParentOrder } from './parent-order.entity.js';

/**
 * A sub-order's piece of an order line. `paidAmount` = `merchandise` + `shippingFeeShare`; on
 * sub-orders split before the line shares followed the sub-orders (migration
 * 1764061000005), only `paidAmount` was stored, then without the shipping share.
 */
export interface SubOrderLine {
  lineId: string;
  skuId: string;
  quantity: number;
  merchandise: number;
  shippingFeeShare: number;
  paidAmount: number;
}

/** The part of a paid order one warehouse or merchant fulfils in one way. */
@Entity('sub_order')
export class SubOrder {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @ManyToOne(
    () => ParentOrder,
    (order) => order.subOrders,
    { onDelete: 'CASCADE' },
  )
  @JoinColumn({ name: 'order_id' })
  order: Relation<ParentOrder>;
  @Column('int') position: number;
  @Column('text', { name: 'warehouse_id' }) warehouseId: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text', { name: 'fulfilment_type' }) fulfilmentType: FulfilmentType;
  @MoneyColumn({ name: 'shipping_fee' }) shippingFee: number;
  @Column('jsonb') lines: SubOrderLine[];
}
