import { percentOf } from '@mallard/money';
import type { AppliedDiscount, OrderPromotion } from './types.js';

type Threshold = Extract<OrderPromotion, { kind: 'THRESHOLD' }>;
type Percentage = Extract<OrderPromotion, { kind: 'PERCENTAGE' }>;

/** "Spend X save Y" on `baseMinor`: nothing below X, and never more than the base. */
export function thresholdDiscount(promotion: Threshold, baseMinor: number): number {
  return baseMinor >= promotion.thresholdMinor ? Math.min(promotion.discountMinor, baseMinor) : 0;
}

/** A percentage of `baseMinor`, rounded down, capped, and nothing below the minimum spend. */
export function percentageDiscount(promotion: Percentage, baseMinor: number): number {
  if (baseMinor < (promotion.minSpendMinor ?? 0)) return 0;
  return Math.min(percentOf(baseMinor, promotion.basisPoints), promotion.capMinor ?? Number.MAX_SAFE_INTEGER);
}

/**
 * Of the order promotions of one kind, the one that takes the most off `baseMinor` (the earlier
 * in the list winning a tie), or nothing when none takes anything off.
 */
export function bestOrderPromotion(
  promotions: readonly OrderPromotion[],
  kind: OrderPromotion['kind'],
  baseMinor: number,
): AppliedDiscount | undefined {
  let best: AppliedDiscount | undefined;
  for (const promotion of promotions) {
    if (promotion.kind !== kind) continue;
    const discountMinor =
      promotion.kind === 'THRESHOLD' ? thresholdDiscount(promotion, baseMinor) : percentageDiscount(promotion, baseMinor);
    if (discountMinor > (best?.discountMinor ?? 0)) best = { source: 'promotion', id: promotion.id, kind, discountMinor };
  }
  return best;
}
