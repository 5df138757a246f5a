import type { ShippingRule } from './types.js';

/** The flat fee, waived once the merchandise after all discounts reaches the free-shipping line. */
export function shippingFee(rule: ShippingRule, merchandiseMinor: number): number {
  return rule.freeFromMinor !== undefined && merchandiseMinor >= rule.freeFromMinor ? 0 : rule.flatFeeMinor;
}
