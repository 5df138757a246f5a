import { percentOf } from '@mallard/money';
import type { AppliedDiscount, CartLine, ItemPromotion } from './types.js';

export interface LineItemDiscount {
  discountMinor: number;
  /** Index into the promotions given, of the one applied; absent when none discounts the line. */
  promotionIndex?: number;
}

/** What one item promotion takes off one line; never more than the line amount. */
export function itemPromotionDiscount(promotion: ItemPromotion, line: CartLine): number {
  if (promotion.kind === 'ITEM_AMOUNT_OFF') {
    return Math.min(promotion.amountOffPerUnitMinor, line.unitPriceMinor) * line.quantity;
  }
  // On the line amount rather than per unit: one floor per line loses less than one per unit.
  return percentOf(line.unitPriceMinor * line.quantity, promotion.basisPoints);
}

/**
 * Item promotions do not stack: each line gets the single promotion for its SKU that takes the
 * most off, the earlier promotion in the list winning a tie.
 */
export function bestItemDiscounts(lines: readonly CartLine[], promotions: readonly ItemPromotion[]): LineItemDiscount[] {
  const bySku = new Map<string, number[]>();
  for (const [index, promotion] of promotions.entries()) bySku.set(promotion.skuId, [...(bySku.get(promotion.skuId) ?? []), index]);
  return lines.map((line) => {
    let best: LineItemDiscount = { discountMinor: 0 };
    for (const index of bySku.get(line.skuId) ?? []) {
      const discountMinor = itemPromotionDiscount(promotions[index], line);
      if (discountMinor > best.discountMinor) best = { discountMinor, promotionIndex: index };
    }
    return best;
  });
}

/** One entry per promotion that took something off, in the order the promotions were given. */
export function appliedItemPromotions(promotions: readonly ItemPromotion[], discounts: readonly LineItemDiscount[]): AppliedDiscount[] {
  const totals = new Map<number, number>();
  for (const { promotionIndex, discountMinor } of discounts) {
    if (promotionIndex !== undefined) totals.set(promotionIndex, (totals.get(promotionIndex) ?? 0) + discountMinor);
  }
  return [...totals.keys()]
    .sort((a, b) => a - b)
    .map((index) => ({
      source: 'promotion',
      id: promotions[index].id,
      kind: promotions[index].kind,
      discountMinor: totals.get(index) ?? 0,
    }));
}
