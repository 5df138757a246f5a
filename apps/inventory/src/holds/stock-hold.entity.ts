import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Units held for an unpaid order, per line and warehouse; the sum per level equals stock_level.held. */
@Entity('stock_hold')
export class StockHold {
  @PrimaryColumn('uuid', { name: 'order_id' }) orderId: string;
  @PrimaryColumn('text', { name: 'line_id' }) lineId: string;
  @PrimaryColumn('text', { name: 'warehouse_id' }) warehouseId: string;
  @Column('text', { name: 'sku_id' }) skuId: string;
  @Column('integer') quantity: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
