/**
 * Amounts are integers in the currency's minor unit (docs/domain.md §2). Past 2^53 a number silently
 * loses units, so anything outside the safe-integer range is refused rather than rounded.
 */
export function isMinorUnits(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function assertMinorUnits(value: unknown, name = 'amount'): asserts value is number {
  if (!isMinorUnits(value)) {
    throw new RangeError(`${name} must be a non-negative safe integer in minor units, got ${String(value)}`);
  }
}
