import type { PaymentProviderName } from '@mallard/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planTenders, pointsForRefund, pointsToMinor, TenderError } from './tenders.js';

/** The TenderError code planTenders refuses these tenders with; undefined when it takes them. */
const refusalOf = (...plan: Parameters<typeof planTenders>): string | undefined => {
  try {
    planTenders(...plan);
    return undefined;
  } catch (error) {
    return error instanceof TenderError ? error.code : String(error);
  }
};

describe('planTenders', () => {
  it('prices gift cards, points and one provider, adding up to the payable amount exactly', () => {
    const plan = planTenders(
      10_000,
      [
        { type: 'GIFT_CARD', code: 'GC-AAAA', amountMinor: 3_000 },
        { type: 'GIFT_CARD', code: 'GC-BBBB', amountMinor: 1_000 },
        { type: 'POINTS', points: 1_000 },
        { type: 'PROVIDER', provider: 'sandbox', amountMinor: 5_000 },
      ],
      100,
    );
    expect(plan.totalMinor).toBe(10_000);
    expect(plan.tenders.map((tender) => [tender.type, tender.amountMinor])).toEqual([
      ['GIFT_CARD', 3_000],
      ['GIFT_CARD', 1_000],
      ['POINTS', 1_000],
      ['PROVIDER', 5_000],
    ]);
    expect(plan.providerPart?.provider).toBe('sandbox');
  });

  it('refuses what does not add up or breaks a rule', () => {
    expect(refusalOf(1_000, [{ type: 'GIFT_CARD', code: 'GC-A', amountMinor: 999 }], 100)).toBe('TOTAL_MISMATCH');
    expect(refusalOf(1_000, [{ type: 'GIFT_CARD', code: 'GC-A', amountMinor: 1_001 }], 100)).toBe('TOTAL_MISMATCH');
    expect(refusalOf(1_000, [], 100)).toBe('NO_TENDERS');
    expect(refusalOf(0, [{ type: 'POINTS', points: 1 }], 100)).toBe('NOTHING_TO_PAY');
    const halfCard = { type: 'GIFT_CARD', code: 'GC-A', amountMinor: 500 } as const;
    expect(refusalOf(1_000, [halfCard, halfCard], 100)).toBe('DUPLICATE_GIFT_CARD');
    const halfBy = (provider: PaymentProviderName) => ({ type: 'PROVIDER', provider, amountMinor: 500 }) as const;
    expect(refusalOf(1_000, [halfBy('sandbox'), halfBy('stripe')], 100)).toBe('MORE_THAN_ONE_PROVIDER');
    const halfInPoints = { type: 'POINTS', points: 500 } as const;
    expect(refusalOf(1_000, [halfInPoints, halfInPoints], 100)).toBe('MORE_THAN_ONE_POINTS');
    // 30 points per 1.00: 10 points are 33.33… minor units, which is not a whole amount.
    expect(refusalOf(1_000, [{ type: 'POINTS', points: 10 }], 30)).toBe('POINTS_NOT_CONVERTIBLE');
  });

  it('values points at the configured rate per 100 minor units', () => {
    expect(pointsToMinor(100, 100)).toBe(100); // 100 points = 1.00
    expect(pointsToMinor(1_000, 1_000)).toBe(100); // 1000 points = 1.00
    expect(pointsToMinor(30, 30)).toBe(100);
    expect(pointsToMinor(3, 30)).toBe(10);
    expect(pointsToMinor(1, 30)).toBeNull();
  });

  it('counts points in integers where the product passes 2^53', () => {
    // 1 234 567 890 of 1 234 567 891 minor units of a tender of 123 456 789 123 points:
    // 123 456 789 022.99…, so 123 456 789 022 points; a float product rounds it up to …023.
    expect(pointsForRefund(123_456_789_123, 1_234_567_891, 0, 1_234_567_890)).toBe(123_456_789_022);
    expect(pointsForRefund(123_456_789_123, 1_234_567_891, 1_234_567_890, 1)).toBe(101);
    // A float product 9 007 199 254 740 991 × 100 is not a multiple of 100: it would refuse it.
    expect(pointsToMinor(Number.MAX_SAFE_INTEGER, 100)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('gives back exactly the points a tender took, however its refunds are cut', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(1, 30, 100, 250, 1_000),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }),
        (units, rate, cuts) => {
          const points = units * rate; // always convertible
          const minor = pointsToMinor(points, rate)!;
          let refunded = 0;
          let pointsBack = 0;
          for (const cut of cuts) {
            const now = Math.min(cut, minor - refunded);
            if (now <= 0) break;
            const back = pointsForRefund(points, minor, refunded, now);
            expect(back).toBeGreaterThanOrEqual(0);
            pointsBack += back;
            refunded += now;
          }
          const rest = minor - refunded;
          if (rest > 0) pointsBack += pointsForRefund(points, minor, refunded, rest);
          expect(pointsBack).toBe(points);
        },
      ),
    );
  });
});
