import { describe, expect, it } from 'vitest';
import { assertMinorUnits, isMinorUnits } from './minor-units.js';

describe('assertMinorUnits', () => {
  it('accepts non-negative safe integers', () => {
    for (const value of [0, 1, Number.MAX_SAFE_INTEGER]) {
      expect(isMinorUnits(value)).toBe(true);
      expect(() => assertMinorUnits(value)).not.toThrow();
    }
  });

  it.each([-1, 0.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, '1', null])(
    'refuses %s and names the field',
    (value) => {
      expect(isMinorUnits(value)).toBe(false);
      expect(() => assertMinorUnits(value, 'unitPriceMinor')).toThrow(/unitPriceMinor/);
    },
  );
});
