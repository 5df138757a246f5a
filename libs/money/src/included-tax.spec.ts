import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { includedTax, taxInside } from './included-tax.js';

const RATES = [0, 300, 600, 900, 1300, 2000];
const amounts = fc.array(fc.record({ grossMinor: fc.integer({ min: 0, max: 10_000_000 }), rateBasisPoints: fc.constantFrom(...RATES) }), {
  minLength: 1,
  maxLength: 25,
});

describe('taxInside', () => {
  it('takes the tax out of a tax-inclusive amount, half up', () => {
    expect(taxInside(11_300, 1300)).toBe(1300);
    // 100 × 13 / 113 = 11.504…: 12; 96 × 13 / 113 = 11.044…: 11.
    expect(taxInside(100, 1300)).toBe(12);
    expect(taxInside(96, 1300)).toBe(11);
    // 1 060 × 6 / 106 = 60 exactly; 9 × 6 / 106 = 0.509…: 1.
    expect(taxInside(1060, 600)).toBe(60);
    expect(taxInside(9, 600)).toBe(1);
    expect(taxInside(5000, 0)).toBe(0);
  });

  it('refuses fractions and negatives', () => {
    expect(() => taxInside(10.5, 1300)).toThrow(RangeError);
    expect(() => taxInside(100, -1)).toThrow(RangeError);
  });
});

describe('includedTax', () => {
  it('rounds once per rate and gives the tail to the largest remainders', () => {
    // Three lines of 1.00 at 13 %: 0.11504… each, 0.345… in all → 35 on the document, not 3 × 12 = 36.
    const threeLines = includedTax([
      { grossMinor: 100, rateBasisPoints: 1300 },
      { grossMinor: 100, rateBasisPoints: 1300 },
      { grossMinor: 100, rateBasisPoints: 1300 },
    ]);
    expect(threeLines).toEqual({
      taxes: [12, 12, 11],
      byRate: [{ rateBasisPoints: 1300, grossMinor: 300, taxMinor: 35 }],
      totalTaxMinor: 35,
    });
  });

  it('keeps each rate apart, the amounts in the order given', () => {
    const mixed = includedTax([
      { grossMinor: 1060, rateBasisPoints: 600 },
      { grossMinor: 11_300, rateBasisPoints: 1300 },
      { grossMinor: 0, rateBasisPoints: 1300 },
      { grossMinor: 500, rateBasisPoints: 0 },
    ]);
    expect(mixed.taxes).toEqual([60, 1300, 0, 0]);
    expect(mixed.byRate.map((rate) => rate.rateBasisPoints)).toEqual([0, 600, 1300]);
    expect(mixed.totalTaxMinor).toBe(1360);
  });

  it('adds up to the per-rate totals to the unit, each amount within one and a half units of its exact tax', () => {
    fc.assert(
      fc.property(amounts, (given) => {
        const { taxes, byRate, totalTaxMinor } = includedTax(given);
        expect(taxes.reduce((sum, tax) => sum + tax, 0)).toBe(totalTaxMinor);
        expect(byRate.reduce((sum, rate) => sum + rate.taxMinor, 0)).toBe(totalTaxMinor);
        for (const rate of byRate) {
          const members = given.flatMap((amount, index) => (amount.rateBasisPoints === rate.rateBasisPoints ? [index] : []));
          expect(members.reduce((sum, index) => sum + taxes[index], 0)).toBe(rate.taxMinor);
          expect(rate.taxMinor).toBe(taxInside(rate.grossMinor, rate.rateBasisPoints));
        }
        for (const [index, { grossMinor, rateBasisPoints }] of given.entries()) {
          expect(Number.isInteger(taxes[index])).toBe(true);
          expect(taxes[index]).toBeGreaterThanOrEqual(0);
          expect(taxes[index]).toBeLessThanOrEqual(grossMinor);
          // |tax − gross × r / (10 000 + r)| < 1.5, in integers: |2 × tax × D − 2 × gross × r| < 3 × D.
          const denominator = 10_000 + rateBasisPoints;
          expect(Math.abs(2 * taxes[index] * denominator - 2 * grossMinor * rateBasisPoints)).toBeLessThan(3 * denominator);
        }
      }),
      { numRuns: 500 },
    );
  });
});
