import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Units of a limited SKU a buyer has in open or paid orders. Raised atomically against the
 * limit when an order is placed, lowered when an unpaid order closes.
 */
@Entity('purchase_tally')
export class PurchaseTally {
  @PrimaryColumn('text', { name: 'buyer_id' }) buyerId: string;
  @PrimaryColumn('text', { name: 'sku_id' }) skuId: string;
  @Column('int') quantity: number;
}
