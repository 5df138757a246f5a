import type { FulfilmentType, StockPolicy } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ParentOrder } from './parent-order.entity.js';

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
  @MoneyColumn({ name: 'unit_price' }) unitPrice: number;
  @MoneyColumn({ name: 'line_amount' }) lineAmount: number;
  @MoneyColumn({ name: 'item_discount' }) itemDiscount: number;
  @MoneyColumn({ name: 'order_discount_share' }) orderDiscountShare: number;
  @MoneyColumn({ name: 'shipping_fee_share' }) shippingFeeShare: number;
  @MoneyColumn({ name: 'paid_amount' }) paidAmount: number;
  /** The SKU's tax rate when the order was placed (basis points, included in the price); null when not known. */
  @Column('int', { name: 'tax_rate_bp', nullable: true }) taxRateBasisPoints: number | null;
  /** Units this line counted against the buyer's purchase limit of its SKU (0 when unlimited). */
  @Column('int', { name: 'limit_counted', default: 0 }) limitCounted: number;
  /** Warehouses serving the line, once inventory allocated it. */
  @Column('jsonb', { default: () => "'[]'" }) allocations: LineAllocation[];
}
