import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Allocation } from '../allocation/allocate.js';
import type { OrderStockState, StockShortage } from './order-stock.js';

/** Inventory's record of one order: what happened to its stock, so every event applies once. */
@Entity('order_stock')
export class OrderStock {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text')
  state: OrderStockState;

  /** When the holds lapse (state HELD). */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  /** The holds while HELD; the final allocation once DEDUCTED. */
  @Column('jsonb', { nullable: true })
  allocations: Allocation[] | null;

  @Column('jsonb', { nullable: true })
  shortages: StockShortage[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Units held for an unpaid order, per line and warehouse; the sum per level equals stock_level.held. */
@Entity('stock_hold')
export class StockHold {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @PrimaryColumn('text', { name: 'line_id' })
  lineId: string;

  @PrimaryColumn('text', { name: 'warehouse_id' })
  warehouseId: string;

  @Column('text', { name: 'sku_id' })
  skuId: string;

  @Column('integer')
  quantity: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
