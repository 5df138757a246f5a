import type { FulfilmentType, StockPolicy } from '@mallard/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** bigint columns come back from pg as strings; money in minor units stays far below 2^53. */
const bigintAsNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity('merchant')
export class Merchant {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  name: string;

  /** The stock policy of the merchant's SKUs that do not choose their own. */
  @Column('text', { name: 'default_stock_policy' })
  defaultStockPolicy: StockPolicy;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('warehouse')
export class Warehouse {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  name: string;

  /** The merchant that runs it; null for a warehouse the mall operates (or a platform's). */
  @Column('text', { name: 'merchant_id', nullable: true })
  merchantId: string | null;

  /** How stock shipped from here is fulfilled. */
  @Column('text', { name: 'fulfilment_type' })
  fulfilmentType: FulfilmentType;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('sku')
export class Sku {
  @PrimaryColumn('text')
  id: string;

  @Column('text', { name: 'merchant_id' })
  merchantId: string;

  @Column('text')
  name: string;

  @Column('bigint', { name: 'price_minor', transformer: bigintAsNumber })
  priceMinor: number;

  @Column('text')
  currency: string;

  @Column('boolean', { name: 'on_shelf' })
  onShelf: boolean;

  @Column('text', { name: 'fulfilment_type' })
  fulfilmentType: FulfilmentType;

  /** null: the merchant's default applies. */
  @Column('text', { name: 'stock_policy', nullable: true })
  stockPolicy: StockPolicy | null;

  @Column('boolean')
  scarce: boolean;

  @Column('integer', { name: 'purchase_limit', nullable: true })
  purchaseLimit: number | null;

  /** Bumped by every change and carried by sku.upserted, so consumers drop stale copies. */
  @Column('integer')
  revision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
