import type { ItemPromotion, OrderPromotion } from '@mallard/pricing';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A promotion the mall runs; its rule is the pricing engine's own shape. */
@Entity('promotion')
export class Promotion {
  @PrimaryColumn('text') id: string;
  @Column('jsonb') rule: ItemPromotion | OrderPromotion;
  @Column('boolean') active: boolean;
}
