import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyFractionDigits, formatBasisPoints, formatMinorUnits } from './format.js';

describe('currencyFractionDigits', () => {
  it.each([
    ['CNY', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
  ])('%s has %i', (currency, digits) => {
    expect(currencyFractionDigits(currency)).toBe(digits);
  });

  it('refuses what is not a currency code', () => {
    expect(() => currencyFractionDigits('yuan')).toThrow(RangeError);
  });
});

describe('formatMinorUnits', () => {
  it.each([
    [123456, 'CNY', '1234.56'],
    [5, 'CNY', '0.05'],
    [0, 'CNY', '0.00'],
    [-1000, 'CNY', '-10.00'],
    [-7, 'CNY', '-0.07'],
    [1500, 'JPY', '1500'],
    [-1500, 'JPY', '-1500'],
    [1234, 'BHD', '1.234'],
    [Number.MAX_SAFE_INTEGER, 'CNY', '90071992547409.91'],
    [Number.MIN_SAFE_INTEGER, 'CNY', '-90071992547409.91'],
  ])('%i %s → %s', (amount, currency, text) => {
    expect(formatMinorUnits(amount, currency)).toBe(text);
  });

  it('separates thousands when asked, in the whole part only', () => {
    expect(formatMinorUnits(123456789, 'CNY', { separateThousands: true })).toBe('1,234,567.89');
    expect(formatMinorUnits(-100000, 'CNY', { separateThousands: true })).toBe('-1,000.00');
    expect(formatMinorUnits(99999, 'CNY', { separateThousands: true })).toBe('999.99');
    expect(formatMinorUnits(1234567, 'JPY', { separateThousands: true })).toBe('1,234,567');
    expect(formatMinorUnits(123456, 'BHD', { separateThousands: true })).toBe('123.456');
  });

  it('never shows −0', () => {
    expect(formatMinorUnits(-0, 'CNY')).toBe('0.00');
  });

  it('reads back to the same integer for any safe amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('CNY', 'JPY', 'BHD'),
        (amount, currency) => {
          const text = formatMinorUnits(amount, currency, { separateThousands: true });
          expect(BigInt(text.replace(/[,.]/g, ''))).toBe(BigInt(amount));
          const [, fraction = ''] = text.split('.');
          expect(fraction.length).toBe(currencyFractionDigits(currency));
        },
      ),
    );
  });

  it('refuses what is not a whole number of minor units', () => {
    for (const amount of [0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => formatMinorUnits(amount, 'CNY')).toThrow(RangeError);
    }
  });
});

describe('formatBasisPoints', () => {
  it.each([
    [1300, '13%'],
    [650, '6.5%'],
    [1250, '12.5%'],
    [5, '0.05%'],
    [0, '0%'],
    [10000, '100%'],
  ])('%i bp → %s', (basisPoints, text) => {
    expect(formatBasisPoints(basisPoints)).toBe(text);
  });

  it('refuses negative or fractional basis points', () => {
    expect(() => formatBasisPoints(-1)).toThrow(RangeError);
    expect(() => formatBasisPoints(1.5)).toThrow(RangeError);
  });
});
