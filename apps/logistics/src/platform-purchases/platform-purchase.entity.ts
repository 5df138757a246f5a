import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * PENDING until its time comes, then PLACED with the platform; DROPPED when the sub-order was
 * stopped first; FAILED when the platform kept refusing it (staff must look: the order shows an exception).
 */
export type PlatformPurchaseState = 'PENDING' | 'PLACED' | 'DROPPED' | 'FAILED';

/** The purchase of a third-party platform sub-order from the platform, held back after payment. */
@Entity('platform_purchase')
export class PlatformPurchase {
  @PrimaryColumn('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('text') state: PlatformPurchaseState;
  /** Payment plus PLATFORM_PURCHASE_DELAY_SECONDS, then later after each failed attempt. */
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('int') attempts: number;
  /**
   * An attempt ended without a definite answer (no answer, a timeout, a 500): the platform may
   * have placed it. Such a purchase is treated as placed by an interception, never dropped.
   */
  @Column('boolean', { name: 'maybe_placed', default: false }) maybePlaced: boolean;
  /** The platform's id of the purchase. */
  @Column('text', { name: 'platform_ref', nullable: true }) platformRef: string | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'placed_at', nullable: true }) placedAt: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
