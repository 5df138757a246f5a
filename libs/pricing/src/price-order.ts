import { apportion } from '@mallard/money';
import { applyCoupon } from './coupon.js';
import { appliedItemPromotions, bestItemDiscounts } from './item-discounts.js';
import { bestOrderPromotion } from './order-promotions.js';
import { shippingFee } from './shipping.js';
import type { AppliedDiscount, CouponOutcome, PricedLine, PricedOrder, PricingInput } from './types.js';
import { validatePricingInput } from './validate.js';

/**
 * The order pricing engine. These rules are the product's pricing spec (docs/domain.md §1, §2);
 * every amount is an integer in minor units.
 *
 * 1. Item promotions, per line. Of the item promotions for the line's SKU, the one that takes
 *    the most off applies; they do not stack. Ties go to the earlier promotion in the list.
 *    ITEM_AMOUNT_OFF takes min(amount off, unit price) per unit; ITEM_PERCENT_OFF takes
 *    floor(line amount × bp / 10 000). Either way a line never drops below zero.
 *
 * 2. Order-level discounts, in this order, each computed on — and qualifying against — what
 *    the previous steps left of the subtotal after item discounts:
 *    a. THRESHOLD ("spend X save Y"): at most one; of those whose X the subtotal reaches, the
 *       largest Y (earlier wins a tie), capped at what remains.
 *    b. PERCENTAGE: at most one; of those whose min spend is met, the largest
 *       floor(remaining × bp / 10 000) after its cap (earlier wins a tie).
 *    c. The coupon: refused with MIN_SPEND_NOT_MET if what remains is below its min spend,
 *       or NO_DISCOUNT if it would take nothing off (so it is not used up); pricing goes on
 *       either way. AMOUNT takes its amount, PERCENT the rounded-down percentage; both
 *       after the cap and at most what remains.
 *    As every step takes at most what remains, the order discount never exceeds the
 *    subtotal after item discounts. Min spends are checked after earlier discounts so that
 *    stacking cannot buy a qualification the shopper's money did not.
 *
 * 3. The order discount (the sum of a–c) is apportioned over the lines in proportion to their
 *    amounts after item discount (largest remainder; see apportion in @mallard/money): the
 *    shares add up to the order discount exactly, no share exceeds its line, and the tail
 *    units go to the largest remainders, the earlier line in the cart winning a tie.
 *
 * 4. Shipping: the rule's flat fee, waived when the merchandise after all discounts reaches
 *    freeFromMinor. The fee is apportioned over the lines in proportion to what each pays for
 *    its merchandise (evenly if all pay nothing), with the same tail rule.
 *
 * 5. paid = line amount − item discount − order discount share + shipping share, per line;
 *    payable = Σ paid = items total − item discount − order discount + shipping fee.
 *
 * 6. Malformed input is refused with a PricingError (see validate.ts); a refused coupon is not
 *    malformed input.
 *
 * `applied` lists, in the order they were applied, the discounts that took something off:
 * item promotions (in the order given, each summed over its lines), then the threshold and
 * percentage promotions, then the coupon.
 */
export function priceOrder(input: PricingInput): PricedOrder {
  validatePricingInput(input);
  const { lines } = input;

  const lineAmounts = lines.map((line) => line.unitPriceMinor * line.quantity);
  const itemDiscounts = bestItemDiscounts(lines, input.itemPromotions);
  const afterItem = lineAmounts.map((amount, i) => amount - itemDiscounts[i].discountMinor);
  const subtotal = sum(afterItem);

  const applied: AppliedDiscount[] = appliedItemPromotions(input.itemPromotions, itemDiscounts);
  let remaining = subtotal;
  for (const kind of ['THRESHOLD', 'PERCENTAGE'] as const) {
    const best = bestOrderPromotion(input.orderPromotions, kind, remaining);
    if (best === undefined) continue;
    applied.push(best);
    remaining -= best.discountMinor;
  }
  let couponOutcome: CouponOutcome | undefined;
  if (input.coupon !== undefined) {
    const { discountMinor, outcome } = applyCoupon(input.coupon, remaining);
    if (outcome.accepted) applied.push({ source: 'coupon', id: outcome.code, kind: input.coupon.kind, discountMinor });
    remaining -= discountMinor;
    couponOutcome = outcome;
  }
  const orderDiscount = subtotal - remaining;
  const orderShares = apportion(orderDiscount, afterItem);

  const merchandise = afterItem.map((amount, i) => amount - orderShares[i]);
  const fee = shippingFee(input.shipping, remaining);
  const feeShares = apportion(fee, merchandise);

  const priced: PricedLine[] = lines.map((line, i) => ({
    lineId: line.lineId,
    skuId: line.skuId,
    unitPriceMinor: line.unitPriceMinor,
    quantity: line.quantity,
    lineAmountMinor: lineAmounts[i],
    itemDiscountMinor: itemDiscounts[i].discountMinor,
    orderDiscountShareMinor: orderShares[i],
    shippingFeeShareMinor: feeShares[i],
    paidAmountMinor: merchandise[i] + feeShares[i],
  }));

  return {
    currency: input.currency,
    lines: priced,
    itemsTotalMinor: sum(lineAmounts),
    itemDiscountMinor: sum(itemDiscounts.map((discount) => discount.discountMinor)),
    orderDiscountMinor: orderDiscount,
    shippingFeeMinor: fee,
    payableMinor: remaining + fee,
    applied,
    ...(couponOutcome === undefined ? {} : { coupon: couponOutcome }),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
