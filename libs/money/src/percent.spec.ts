import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOf } from './percent.js';

describe('percentOf', () => {
  it('rounds down', () => {
    expect(percentOf(999, 1250)).toBe(124); // exact 124.875
    expect(percentOf(1, 9999)).toBe(0);
    expect(percentOf(10_000, 1)).toBe(1);
    expect(percentOf(12_345, 10_000)).toBe(12_345);
  });

  it('stays exact where amount × basis points exceeds 2^53', () => {
    expect(percentOf(Number.MAX_SAFE_INTEGER, 5000)).toBe(Math.floor(Number.MAX_SAFE_INTEGER / 2));
  });

  it('refuses bad input and unsafe results', () => {
    expect(() => percentOf(-1, 100)).toThrow(RangeError);
    expect(() => percentOf(100, 1.5)).toThrow(RangeError);
    expect(() => percentOf(Number.MAX_SAFE_INTEGER, 20_000)).toThrow(RangeError);
  });

  it('property: never more than the exact percentage, less by under one unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 10_000 }), (amount, bp) => {
        const scaled = BigInt(percentOf(amount, bp)) * 10_000n;
        const exactScaled = BigInt(amount) * BigInt(bp);
        expect(scaled <= exactScaled && exactScaled - scaled < 10_000n).toBe(true);
      }),
    );
  });
});
