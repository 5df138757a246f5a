/** All amounts are integers in minor units of `PricingInput.currency` (docs/domain.md §2). */

export interface CartLine {
  lineId: string;
  skuId: string;
  unitPriceMinor: number;
  quantity: number;
}

export type ItemPromotion =
  | { id: string; kind: 'ITEM_AMOUNT_OFF'; skuId: string; amountOffPerUnitMinor: number }
  | { id: string; kind: 'ITEM_PERCENT_OFF'; skuId: string; basisPoints: number };

export type OrderPromotion =
  /** "Spend X save Y". */
  | { id: string; kind: 'THRESHOLD'; thresholdMinor: number; discountMinor: number }
  | { id: string; kind: 'PERCENTAGE'; basisPoints: number; capMinor?: number; minSpendMinor?: number };

export interface Coupon {
  code: string;
  kind: 'AMOUNT' | 'PERCENT';
  /** Required for AMOUNT. */
  amountMinor?: number;
  /** Required for PERCENT. */
  basisPoints?: number;
  minSpendMinor?: number;
  capMinor?: number;
}

export interface ShippingRule {
  flatFeeMinor: number;
  /** Merchandise after all discounts at or above this ships free; absent: the fee is always charged. */
  freeFromMinor?: number;
}

export interface PricingInput {
  currency: string;
  lines: CartLine[];
  itemPromotions: ItemPromotion[];
  orderPromotions: OrderPromotion[];
  coupon?: Coupon;
  shipping: ShippingRule;
}

export interface PricedLine {
  lineId: string;
  skuId: string;
  unitPriceMinor: number;
  quantity: number;
  /** unitPriceMinor × quantity. */
  lineAmountMinor: number;
  itemDiscountMinor: number;
  orderDiscountShareMinor: number;
  shippingFeeShareMinor: number;
  /** lineAmount − itemDiscount − orderDiscountShare + shippingFeeShare. */
  paidAmountMinor: number;
}

export interface AppliedDiscount {
  source: 'promotion' | 'coupon';
  /** Promotion id, or coupon code. */
  id: string;
  kind: string;
  discountMinor: number;
}

export type CouponRejection = 'MIN_SPEND_NOT_MET' | 'NO_DISCOUNT';

export interface CouponOutcome {
  code: string;
  accepted: boolean;
  reason?: CouponRejection;
}

export interface PricedOrder {
  currency: string;
  lines: PricedLine[];
  itemsTotalMinor: number;
  itemDiscountMinor: number;
  orderDiscountMinor: number;
  shippingFeeMinor: number;
  payableMinor: number;
  applied: AppliedDiscount[];
  coupon?: CouponOutcome;
}
