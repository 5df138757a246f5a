import type { Coupon } from '@mallard/pricing';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A coupon shoppers can enter by its code; its rule is the pricing engine's own shape. */
@Entity('coupon')
export class CouponCode {
  @PrimaryColumn('text') code: string;
  @Column('jsonb') rule: Coupon;
  @Column('boolean') active: boolean;
}
