import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Allocation } from '../allocation/allocate.js';
import type { OrderStockState, StockShortage } from './order-stock.js';

/** Inventory's record of one order: what happened to its stock, so every event applies once. */
@Entity('order_stock')
export class OrderStock {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId: string;
  @Column('text') state: OrderStockState;
  /** When the holds lapse (state HELD). */
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  /** The holds while HELD; the final allocation once DEDUCTED. */
  @Column('jsonb', { nullable: true }) allocations: Allocation[] | null;
  @Column('jsonb', { nullable: true }) shortages: StockShortage[] | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
