import { percentOf } from '@mallard/money';
import type { Coupon, CouponOutcome } from './types.js';

export interface CouponResult {
  discountMinor: number;
  outcome: CouponOutcome;
}

/**
 * The coupon on `baseMinor` (what remains after the order promotions). A coupon that would take
 * nothing off is rejected rather than accepted at zero, so that it is not used up for nothing.
 */
export function applyCoupon(coupon: Coupon, baseMinor: number): CouponResult {
  if (baseMinor < (coupon.minSpendMinor ?? 0)) return rejected(coupon, 'MIN_SPEND_NOT_MET');
  const uncapped = coupon.kind === 'AMOUNT' ? (coupon.amountMinor ?? 0) : percentOf(baseMinor, coupon.basisPoints ?? 0);
  const discountMinor = Math.min(uncapped, coupon.capMinor ?? Number.MAX_SAFE_INTEGER, baseMinor);
  if (discountMinor === 0) return rejected(coupon, 'NO_DISCOUNT');
  return { discountMinor, outcome: { code: coupon.code, accepted: true } };
}

function rejected(coupon: Coupon, reason: CouponOutcome['reason']): CouponResult {
  return { discountMinor: 0, outcome: { code: coupon.code, accepted: false, reason } };
}
