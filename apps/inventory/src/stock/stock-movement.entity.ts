import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MovementKind } from './movement-rules.js';

/** One change of a stock level; the ledger is append-only. */
@Entity('stock_movement')
export class StockMovement {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text', { name: 'sku_id' }) skuId: string;
  @Column('text', { name: 'warehouse_id' }) warehouseId: string;
  @Column('text') kind: MovementKind;
  @Column('integer', { name: 'on_hand_delta' }) onHandDelta: number;
  @Column('integer', { name: 'held_delta' }) heldDelta: number;
  /** Units booked as damaged (DAMAGED only): in the warehouse, never sellable. */
  @Column('integer', { name: 'damaged_delta' }) damagedDelta: number;
  @Column('uuid', { name: 'order_id', nullable: true }) orderId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  /** The Idempotency-Key of the request that posted a manual movement. */
  @Column('text', { name: 'request_key', nullable: true, unique: true }) requestKey: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
