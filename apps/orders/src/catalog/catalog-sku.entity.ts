import type { FulfilmentType, StockPolicy } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Orders' copy of inventory's SKUs (from sku.upserted): what is needed to check and price an order. */
@Entity('catalog_sku')
export class CatalogSku {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text') name: string;
  @MoneyColumn({ name: 'price_minor' }) priceMinor: number;
  @Column('char', { length: 3 }) currency: string;
  @Column('boolean', { name: 'on_shelf' }) onShelf: boolean;
  @Column('text', { name: 'fulfilment_type' }) fulfilmentType: FulfilmentType;
  @Column('text', { name: 'stock_policy' }) stockPolicy: StockPolicy;
  @Column('boolean') scarce: boolean;
  @Column('int', { name: 'purchase_limit', nullable: true }) purchaseLimit: number | null;
  /** Basis points (1300 = 13 %), tax included in the price; null when inventory published none. */
  @Column('int', { name: 'tax_rate_bp', nullable: true }) taxRateBasisPoints: number | null;
  @Column('int') revision: number;
}
