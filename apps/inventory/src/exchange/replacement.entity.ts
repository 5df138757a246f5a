import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type ReplacementOutcome = 'DEDUCTED' | 'UNAVAILABLE';

/** Inventory's answer to an exchange's replacement, one per after-sales request (the units are in the ledger). */
@Entity('replacement')
export class Replacement {
  /** After-sales' request: the replacement is decided once per request, whatever event brings it. */
  @PrimaryColumn('uuid', { name: 'request_id' }) requestId: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'replacement_sub_order_id' }) replacementSubOrderId: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  @Column('text') outcome: ReplacementOutcome;
  /** Where every unit was deducted (DEDUCTED only). */
  @Column('text', { name: 'warehouse_id', nullable: true }) warehouseId: string | null;
  /** The SKUs short (UNAVAILABLE only). */
  @Column('text', { name: 'unavailable_sku_ids', array: true, nullable: true }) unavailableSkuIds: string[] | null;
  @CreateDateColumn({ name: 'decided_at', type: 'timestamptz' }) decidedAt: Date;
}
