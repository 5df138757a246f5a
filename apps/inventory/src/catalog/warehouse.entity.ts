import type { FulfilmentType } from '@mallard/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('warehouse')
export class Warehouse {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  /** The merchant that runs it; null for a warehouse the mall operates (or a platform's). */
  @Column('text', { name: 'merchant_id', nullable: true }) merchantId: string | null;
  /** How stock shipped from here is fulfilled. */
  @Column('text', { name: 'fulfilment_type' }) fulfilmentType: FulfilmentType;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
