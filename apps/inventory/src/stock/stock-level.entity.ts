import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Units of one SKU in one warehouse. on_hand and held always equal the sums of the ledger. */
@Entity('stock_level')
export class StockLevel {
  @PrimaryColumn('text', { name: 'sku_id' }) skuId: string;
  @PrimaryColumn('text', { name: 'warehouse_id' }) warehouseId: string;
  @Column('integer', { name: 'on_hand' }) onHand: number;
  /** Units held for placed, unpaid reserve-on-order orders. */
  @Column('integer') held: number;
}
