import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PricingError } from './pricing-error.js';
import { allocateShippingToSubOrders } from './sub-order-shipping.js';

describe('allocateShippingToSubOrders', () => {
  it('charges the whole fee to the first sub-order given', () => {
    expect([...allocateShippingToSubOrders(800, ['S2', 'S1', 'S3'], 'FIRST_SUB_ORDER')]).toEqual([
      ['S2', 800],
      ['S1', 0],
      ['S3', 0],
    ]);
  });

  it('spreads the fee evenly with the tail on the first sub-orders given', () => {
    expect([...allocateShippingToSubOrders(1001, ['S1', 'S2', 'S3'], 'SPREAD_EVENLY')]).toEqual([
      ['S1', 334],
      ['S2', 334],
      ['S3', 333],
    ]);
  });

  it.each([
    ['no sub-orders', 100, [], 'INVALID_SUB_ORDERS'],
    ['duplicate sub-orders', 100, ['S1', 'S1'], 'INVALID_SUB_ORDERS'],
    ['a negative fee', -1, ['S1'], 'INVALID_SHIPPING'],
    ['a fractional fee', 1.5, ['S1'], 'INVALID_SHIPPING'],
  ])('refuses %s', (_, fee, ids, code) => {
    expect(() => allocateShippingToSubOrders(fee as number, ids as string[], 'SPREAD_EVENLY')).toThrow(PricingError);
    expect(() => allocateShippingToSubOrders(fee as number, ids as string[], 'SPREAD_EVENLY')).toThrow(expect.objectContaining({ code }));
  });

  it('property: in either mode, every sub-order gets a share and the shares add up to the fee', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 10 }),
        fc.constantFrom('FIRST_SUB_ORDER' as const, 'SPREAD_EVENLY' as const),
        (fee, ids, mode) => {
          const shares = allocateShippingToSubOrders(fee, ids, mode);
          expect([...shares.keys()]).toEqual(ids);
          expect([...shares.values()].reduce((s, v) => s + v, 0)).toBe(fee);
          for (const share of shares.values()) expect(Number.isSafeInteger(share) && share >= 0).toBe(true);
          const spread = Math.max(...shares.values()) - Math.min(...shares.values());
          if (mode === 'SPREAD_EVENLY') expect(spread).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
