import type { FulfilmentType, StockPolicy } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('sku')
export class Sku {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text') name: string;
  @MoneyColumn({ name: 'price_minor' }) priceMinor: number;
  @Column('text') currency: string;
  @Column('boolean', { name: 'on_shelf' }) onShelf: boolean;
  @Column('text', { name: 'fulfilment_type' }) fulfilmentType: FulfilmentType;
  /** null: the merchant's default applies. */
  @Column('text', { name: 'stock_policy', nullable: true }) stockPolicy: StockPolicy | null;
  @Column('boolean') scarce: boolean;
  @Column('integer', { name: 'purchase_limit', nullable: true }) purchaseLimit: number | null;
  /** Basis points of tax inside the price; null: the merchant's default applies. */
  @Column('integer', { name: 'tax_rate_basis_points', nullable: true }) taxRateBasisPoints: number | null;
  /** Bumped by every change and carried by sku.upserted, so consumers drop stale copies. */
  @Column('integer') revision: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
