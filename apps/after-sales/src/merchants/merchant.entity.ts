import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface CustomerServiceContact {
  phone?: string;
  hours?: string;
  chatUrl?: string;
}

/** A merchant as the catalog last described it: whom shoppers reach about its goods. */
@Entity('merchant')
export class Merchant {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  @Column('jsonb', { name: 'customer_service', nullable: true }) customerService: CustomerServiceContact | null;
  @Column('timestamptz', { name: 'changed_at' }) changedAt: Date;
}
