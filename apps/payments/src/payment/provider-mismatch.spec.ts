import { describe, expect, it } from 'vitest';
import { providerMismatches } from './provider-mismatch.js';

describe('providerMismatches', () => {
  const asked = { amountMinor: 1_500, currency: 'CNY' };

  it('accepts the amount asked for in its currency, and what the provider does not say', () => {
    expect(providerMismatches(asked, { amountMinor: 1_500, currency: 'CNY' })).toEqual([]);
    expect(providerMismatches(asked, { amountMinor: null, currency: null })).toEqual([]);
    expect(providerMismatches(asked, { amountMinor: 1_500, currency: null })).toEqual([]);
  });

  it.each([
    [{ amountMinor: 1_499, currency: 'CNY' }, ['AMOUNT']],
    [{ amountMinor: 15_000, currency: null }, ['AMOUNT']],
    [{ amountMinor: 1_500, currency: 'USD' }, ['CURRENCY']],
    [{ amountMinor: null, currency: 'USD' }, ['CURRENCY']],
    [{ amountMinor: 1, currency: 'USD' }, ['CURRENCY', 'AMOUNT']],
  ])('names what differs in %j', (reported, expected) => {
    expect(providerMismatches(asked, reported)).toEqual(expected);
  });
});
