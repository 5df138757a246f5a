import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A SKU as the catalog last described it: what an exchange may send instead, and at what price. */
@Entity('sku')
export class Sku {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text') name: string;
  @MoneyColumn({ name: 'price' }) priceMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('boolean', { name: 'on_shelf' }) onShelf: boolean;
  /** The catalog's revision: a late copy never overwrites a newer one. */
  @Column('int') revision: number;
}
