import type { FulfilmentType, StockPolicy } from '@mallard/contracts';
import { minorUnits } from '@mallard/platform';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ParentOrder } from './order.entity.js';

export interface LineAllocation {
  warehouseId: string;
  quantity: number;
}

/** One line as of the moment of purchase: its price, discounts, shipping share and paid amount. */
@Entity('order_line')
export class OrderLine {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @ManyToOne(
    () => ParentOrder,
    (order) => order.lines,
    { onDelete: 'CASCADE' },
  )
  @JoinColumn({ name: 'order_id' })
  order: Relation<ParentOrder>;
  @Column('int') position: number;
  @Column('text', { name: 'sku_id' }) skuId: string;
  @Column('text', { name: 'sku_name' }) skuName: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text', { name: 'fulfilment_type' }) fulfilmentType: FulfilmentType;
  @Column('text', { name: 'stock_policy' }) stockPolicy: StockPolicy;
  @Column('int') quantity: number;
  @Column('bigint', { name: 'unit_price', transformer: minorUnits }) unitPrice: number;
  @Column('bigint', { name: 'line_amount', transformer: minorUnits }) lineAmount: number;
  @Column('bigint', { name: 'item_discount', transformer: minorUnits }) itemDiscount: number;
  @Column('bigint', { name: 'order_discount_share', transformer: minorUnits }) orderDiscountShare: number;
  @Column('bigint', { name: 'shipping_fee_share', transformer: minorUnits }) shippingFeeShare: number;
  @Column('bigint', { name: 'paid_amount', transformer: minorUnits }) paidAmount: number;
  /** Units this line counted against the buyer's purchase limit of its SKU (0 when unlimited). */
  @Column('int', { name: 'limit_counted', default: 0 }) limitCounted: number;
  /** Warehouses serving the line, once inventory allocated it. */
  @Column('jsonb', { default: () => "'[]'" }) allocations: LineAllocation[];
}
