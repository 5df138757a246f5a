import { describe, expect, it } from 'vitest';
import { paymentMismatches } from './payment-match.js';

describe('paymentMismatches', () => {
  const order = { payable: 12_345, currency: 'CNY' };

  it('accepts a payment of exactly the payable amount in the order currency', () => {
    expect(paymentMismatches(order, { amountMinor: 12_345, currency: 'CNY' })).toEqual([]);
  });

  it.each([
    [{ amountMinor: 12_344, currency: 'CNY' }, ['AMOUNT']],
    [{ amountMinor: 12_346, currency: 'CNY' }, ['AMOUNT']],
    [{ amountMinor: 12_345, currency: 'EUR' }, ['CURRENCY']],
    [{ amountMinor: 1, currency: 'USD' }, ['CURRENCY', 'AMOUNT']],
  ])('names what differs in %j', (payment, expected) => {
    expect(paymentMismatches(order, payment)).toEqual(expected);
  });
});
