import { isMinorUnits, splitEvenly } from '@mallard/money';
import { PricingError } from './pricing-error.js';

export type SubOrderShippingMode = 'FIRST_SUB_ORDER' | 'SPREAD_EVENLY';

/**
 * The shipping fee of a split order (docs/domain.md §4): all of it on the first sub-order given, or
 * spread evenly with the tail units on the first sub-orders given. The caller's order is what
 * makes the result deterministic, so it should pass sub-orders in a stable order (e.g. by id).
 * The map iterates in the order given.
 */
export function allocateShippingToSubOrders(
  feeMinor: number,
  subOrderIds: readonly string[],
  mode: SubOrderShippingMode,
): Map<string, number> {
  if (!isMinorUnits(feeMinor)) {
    const message = `the shipping fee must be a non-negative integer in minor units, got ${String(feeMinor)}`;
    throw new PricingError('INVALID_SHIPPING', message);
  }
  if (subOrderIds.length === 0) throw new PricingError('INVALID_SUB_ORDERS', 'a split order has at least one sub-order');
  if (new Set(subOrderIds).size !== subOrderIds.length) {
    throw new PricingError('INVALID_SUB_ORDERS', 'sub-order ids must be distinct');
  }
  let shares: number[];
  if (mode === 'FIRST_SUB_ORDER') shares = subOrderIds.map((_, i) => (i === 0 ? feeMinor : 0));
  else if (mode === 'SPREAD_EVENLY') shares = splitEvenly(feeMinor, subOrderIds.length);
  else throw new PricingError('INVALID_SHIPPING', `unknown shipping allocation mode ${String(mode)}`);
  return new Map(subOrderIds.map((id, i) => [id, shares[i]]));
}
