import { assertMinorUnits } from './minor-units.js';

/**
 * Splits `total` over `weights` in proportion, so that the parts add up to `total` exactly
 * (docs/domain.md §2: line shares of an order discount add up to the cent).
 *
 * Largest-remainder method: every part first gets floor(total × weight / Σweights); the units
 * that flooring left over (fewer than the number of parts) go one each to the parts with the
 * largest remainders. Equal remainders are broken by the lower index, so the result depends
 * only on the input order: callers that need a stable tail must pass weights in a stable
 * order (e.g. cart order). Permuting the weights may move a tail unit to another part.
 *
 * Consequences callers rely on:
 * - each part is within one unit of its exact share;
 * - a zero weight gets nothing (unless every weight is zero, see below);
 * - when total ≤ Σweights no part exceeds its own weight, so a line's discount share never
 *   exceeds the line's amount.
 *
 * All weights zero: there is no proportion to follow, so the total is split evenly with the
 * same tail rule (the first `total mod n` parts get one unit more).
 *
 * Products total × weight can exceed 2^53, hence the BigInt arithmetic.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total, 'total');
  for (const [index, weight] of weights.entries()) assertMinorUnits(weight, `weights[${index}]`);
  if (weights.length === 0) {
    if (total > 0) throw new RangeError(`cannot apportion ${total} over no weights`);
    return [];
  }
  const exact = weights.map(BigInt);
  const weightSum = exact.reduce((sum, weight) => sum + weight, 0n);
  const effective = weightSum === 0n ? exact.map(() => 1n) : exact;
  const divisor = weightSum === 0n ? BigInt(weights.length) : weightSum;
  return largestRemainder(BigInt(total), effective, divisor);
}

/** `total` in `count` parts that differ by at most one unit; the larger parts come first. */
export function splitEvenly(total: number, count: number): number[] {
  assertMinorUnits(count, 'count');
  return apportion(total, new Array<number>(count).fill(0));
}

function largestRemainder(total: bigint, weights: readonly bigint[], divisor: bigint): number[] {
  const parts = weights.map((weight) => (total * weight) / divisor);
  const remainders = weights.map((weight) => (total * weight) % divisor);
  const leftover = Number(total - parts.reduce((sum, part) => sum + part, 0n));
  const byRemainder = weights
    .map((_, index) => index)
    .sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[a] > remainders[b] ? -1 : 1));
  for (const index of byRemainder.slice(0, leftover)) parts[index] += 1n;
  return parts.map(Number);
}
