import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, splitEvenly } from './apportion.js';

const MAX = Number.MAX_SAFE_INTEGER;
const minor = (max = MAX) => fc.integer({ min: 0, max });
const weightLists = fc.array(minor(), { minLength: 1, maxLength: 30 });
const sum = (values: readonly number[]): bigint => values.reduce((s, v) => s + BigInt(v), 0n);

/** Inputs where total ≤ Σweights, the case of a discount apportioned over line amounts. */
const coveredTotals = weightLists.chain((weights) =>
  fc.bigInt({ min: 0n, max: sum(weights) < BigInt(MAX) ? sum(weights) : BigInt(MAX) }).map((total) => ({
    total: Number(total),
    weights,
  })),
);

describe('apportion', () => {
  it('gives the tail to the largest remainders', () => {
    // Exact shares 166.47…, 332.95…, 500.58…: floors leave two units, for the .95 and .58 remainders.
    expect(apportion(1000, [1000, 2000, 3007])).toEqual([166, 333, 501]);
  });

  it('breaks equal remainders by the lower index', () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(2, [5, 5, 5])).toEqual([1, 1, 0]);
  });

  it('splits evenly when every weight is zero', () => {
    expect(apportion(10, [0, 0, 0])).toEqual([4, 3, 3]);
  });

  it('gives nothing to a zero weight', () => {
    expect(apportion(7, [0, 3, 0, 4])).toEqual([0, 3, 0, 4]);
    expect(apportion(1, [0, 1, 1])).toEqual([0, 1, 0]);
  });

  it('returns no parts for a zero total over no weights', () => {
    expect(apportion(0, [])).toEqual([]);
  });

  it('stays exact where total × weight exceeds 2^53', () => {
    expect(apportion(MAX, [MAX, 1])).toEqual([MAX - 1, 1]);
    expect(apportion(MAX, [MAX, MAX])).toEqual([(MAX + 1) / 2, (MAX - 1) / 2]);
  });

  it.each([
    ['a negative total', -1, [1]],
    ['a fractional total', 1.5, [1]],
    ['an unsafe total', MAX + 1, [1]],
    ['a negative weight', 1, [1, -1]],
    ['a fractional weight', 1, [0.5]],
    ['NaN', Number.NaN, [1]],
    ['a positive total over no weights', 1, []],
  ])('refuses %s', (_, total, weights) => {
    expect(() => apportion(total as number, weights as number[])).toThrow(RangeError);
  });

  it('property: the parts add up to the total exactly and are non-negative safe integers', () => {
    fc.assert(
      fc.property(minor(), weightLists, (total, weights) => {
        const parts = apportion(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(sum(parts)).toBe(BigInt(total));
        for (const part of parts) expect(Number.isSafeInteger(part) && part >= 0).toBe(true);
      }),
    );
  });

  it('property: each part is within one unit of its exact share', () => {
    fc.assert(
      fc.property(minor(), weightLists, (total, weights) => {
        const parts = apportion(total, weights);
        const weightSum = sum(weights);
        const effective = weightSum === 0n ? weights.map(() => 1n) : weights.map(BigInt);
        const divisor = weightSum === 0n ? BigInt(weights.length) : weightSum;
        parts.forEach((part, i) => {
          // |part − total·w/W| < 1  ⇔  |part·W − total·w| < W
          const scaledError = BigInt(part) * divisor - BigInt(total) * effective[i];
          expect(scaledError < divisor && -scaledError < divisor).toBe(true);
        });
      }),
    );
  });

  it('property: no part exceeds its weight when the total does not exceed the weights', () => {
    fc.assert(
      fc.property(coveredTotals, ({ total, weights }) => {
        for (const [i, part] of apportion(total, weights).entries()) expect(part).toBeLessThanOrEqual(weights[i]);
      }),
    );
  });

  it('property: no part exceeds its weight on small figures, where ties and exact fits are common', () => {
    fc.assert(
      fc.property(
        fc
          .array(minor(20), { minLength: 1, maxLength: 8 })
          .chain((weights) => fc.record({ weights: fc.constant(weights), total: minor(Number(sum(weights))) })),
        ({ total, weights }) => {
          for (const [i, part] of apportion(total, weights).entries()) expect(part).toBeLessThanOrEqual(weights[i]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: a zero weight gets nothing unless all weights are zero', () => {
    fc.assert(
      fc.property(minor(), weightLists, (total, weights) => {
        fc.pre(weights.some((w) => w > 0));
        apportion(total, weights).forEach((part, i) => {
          if (weights[i] === 0) expect(part).toBe(0);
        });
      }),
    );
  });

  it('property: deterministic, and the input is left untouched', () => {
    fc.assert(
      fc.property(minor(), weightLists, (total, weights) => {
        const copy = [...weights];
        expect(apportion(total, weights)).toEqual(apportion(total, copy));
        expect(weights).toEqual(copy);
      }),
    );
  });

  it('property: of parts with equal weights, the earlier one is never the smaller', () => {
    fc.assert(
      fc.property(minor(10_000), fc.array(minor(5), { minLength: 1, maxLength: 12 }), (total, weights) => {
        const parts = apportion(total, weights);
        for (let i = 0; i < weights.length; i++) {
          for (let j = i + 1; j < weights.length; j++) {
            if (weights[i] === weights[j]) expect(parts[i]).toBeGreaterThanOrEqual(parts[j]);
          }
        }
      }),
    );
  });
});

describe('splitEvenly', () => {
  it('puts the tail on the first parts', () => {
    expect(splitEvenly(1001, 3)).toEqual([334, 334, 333]);
    expect(splitEvenly(0, 2)).toEqual([0, 0]);
    expect(splitEvenly(0, 0)).toEqual([]);
  });

  it('refuses a positive total in no parts, or a bad count', () => {
    expect(() => splitEvenly(1, 0)).toThrow(RangeError);
    expect(() => splitEvenly(1, -1)).toThrow(RangeError);
    expect(() => splitEvenly(1, 1.5)).toThrow(RangeError);
  });

  it('property: parts add up, differ by at most one unit, larger first', () => {
    fc.assert(
      fc.property(minor(), fc.integer({ min: 1, max: 50 }), (total, count) => {
        const parts = splitEvenly(total, count);
        expect(sum(parts)).toBe(BigInt(total));
        expect(parts[0] - parts[parts.length - 1]).toBeLessThanOrEqual(1);
        for (let i = 1; i < parts.length; i++) expect(parts[i]).toBeLessThanOrEqual(parts[i - 1]);
      }),
    );
  });
});
