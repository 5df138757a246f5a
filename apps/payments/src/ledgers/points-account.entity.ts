import { CountColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A shopper's points balance: a count of points, not money, read back as a number like money. */
@Entity('points_account')
export class PointsAccount {
  @PrimaryColumn('text', { name: 'buyer_id' }) buyerId: string;
  @CountColumn() balance: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
