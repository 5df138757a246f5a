import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sub-order's piece of an order line: which SKU, how many, and what the shopper paid for them. */
@Entity('sub_order_line')
export class SubOrderLine {
  @PrimaryColumn('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @PrimaryColumn('uuid', { name: 'line_id' }) lineId: string;
  @Column('text', { name: 'sku_id' }) skuId: string;
  @Column('text', { name: 'sku_name' }) skuName: string;
  @Column('int') quantity: number;
  @MoneyColumn() merchandise: number;
  @MoneyColumn({ name: 'shipping_fee_share' }) shippingFeeShare: number;
  @MoneyColumn({ name: 'paid_amount' }) paidAmount: number;
}
