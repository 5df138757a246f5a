import type { StockPolicy } from '@mallard/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CustomerServiceContact } from './catalog.rules.js';

@Entity('merchant')
export class Merchant {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  /** The stock policy of the merchant's SKUs that do not choose their own. */
  @Column('text', { name: 'default_stock_policy' }) defaultStockPolicy: StockPolicy;
  /** How shoppers reach its customer service; null when none was given. */
  @Column('jsonb', { name: 'customer_service', nullable: true }) customerService: CustomerServiceContact | null;
  /** The tax rate (basis points) of its SKUs that keep none of their own; null: the service's setting. */
  @Column('integer', { name: 'default_tax_rate_basis_points', nullable: true }) defaultTaxRateBasisPoints: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
