import { assertMinorUnits } from './minor-units.js';

const BASIS_POINTS_PER_WHOLE = 10_000n;

/**
 * floor(amountMinor × basisPoints / 10 000), e.g. 1 250 bp of 999 → 124.
 *
 * Rounded down on purpose: a percentage discount is then never more than the exact
 * percentage (at most one unit less), and an amount is never discounted below what the
 * advertised rate promises. Basis points above 10 000 are accepted (the function is plain
 * arithmetic); capping a discount at the amount is the caller's rule.
 */
export function percentOf(amountMinor: number, basisPoints: number): number {
  assertMinorUnits(amountMinor, 'amountMinor');
  assertMinorUnits(basisPoints, 'basisPoints');
  const result = (BigInt(amountMinor) * BigInt(basisPoints)) / BASIS_POINTS_PER_WHOLE;
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${basisPoints} bp of ${amountMinor} exceeds the safe-integer range`);
  }
  return Number(result);
}
