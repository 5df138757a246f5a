import type { PaymentMethod } from '@mallard/contracts';
import { MoneyColumn } from '@mallard/platform';
import type { AppliedDiscount, Coupon, OrderPromotion, ShippingRule } from '@mallard/pricing';
import { Column, Entity, Index, OneToMany, PrimaryColumn, type Relation } from 'typeorm';
import { OrderLine } from './order-line.entity.js';
import type { OrderState } from './order-state.js';
import { SubOrder } from './sub-order.entity.js';

export interface Receiver {
  name: string;
  phone: string;
  address: { country: string; province?: string; city: string; district?: string; street: string; postalCode?: string };
}

export interface DeliverySlot {
  date: string;
  from: string;
  to: string;
}

/**
 * The rules an order was priced with, as pricing's own shapes: every order promotion in force
 * (re-pricing takes the best, as pricing did), the coupon's rule when the coupon applied, and the
 * shipping rule. After-sales re-prices what a shopper keeps with them (docs/domain.md §8).
 */
export interface PricingTerms {
  orderPromotions: OrderPromotion[];
  coupon?: Coupon;
  shipping: ShippingRule;
}

/** A parent order: what the shopper bought, for how much, and where its saga stands. */
@Entity('parent_order')
@Index(['buyerId', 'placedAt'])
@Index(['state', 'paymentDueAt'])
export class ParentOrder {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'buyer_id' }) buyerId: string;
  @Column('text') state: OrderState;
  /** Why the order is where it is (cancel reason, failure reason). */
  @Column('text', { name: 'state_reason', nullable: true }) stateReason: string | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('jsonb') receiver: Receiver;
  @Column('jsonb', { name: 'delivery_slot', nullable: true }) deliverySlot: DeliverySlot | null;
  @Column('text', { name: 'payment_method' }) paymentMethod: PaymentMethod;
  @Column('text', { name: 'coupon_code', nullable: true }) couponCode: string | null;
  @MoneyColumn({ name: 'items_total' }) itemsTotal: number;
  @MoneyColumn({ name: 'item_discount' }) itemDiscount: number;
  @MoneyColumn({ name: 'order_discount' }) orderDiscount: number;
  @MoneyColumn({ name: 'shipping_fee' }) shippingFee: number;
  @MoneyColumn() payable: number;
  @Column('jsonb', { name: 'applied_discounts' }) appliedDiscounts: AppliedDiscount[];
  /**
   * Null for orders placed before they were kept (migration 1764061000007). Not read with the
   * order (every saga step and the sweep load it): only the split needs it, and asks for it.
   */
  @Column('jsonb', { name: 'pricing_terms', nullable: true, select: false }) pricingTerms?: PricingTerms | null;
  @Column('timestamptz', { name: 'placed_at' }) placedAt: Date;
  @Column('timestamptz', { name: 'payment_due_at' }) paymentDueAt: Date;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt: Date | null;
  @Column('text', { name: 'payment_id', nullable: true }) paymentId: string | null;
  /** The shopper asked to cancel after paying: logistics is asked to stop every sub-order. */
  @Column('timestamptz', { name: 'interception_requested_at', nullable: true }) interceptionRequestedAt: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;

  @OneToMany(
    () => OrderLine,
    (line) => line.order,
  )
  lines: Relation<OrderLine[]>;
  @OneToMany(
    () => SubOrder,
    (subOrder) => subOrder.order,
  )
  subOrders: Relation<SubOrder[]>;
}
