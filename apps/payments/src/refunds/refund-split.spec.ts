import type { TenderType } from '@mallard/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RefundableTender, RefundSplitError, refundableMinor, splitRefund } from './refund-split.js';

const ROUTE: TenderType[] = ['PROVIDER', 'GIFT_CARD', 'POINTS'];
const tenders: RefundableTender[] = [
  { tenderId: 'g1', type: 'GIFT_CARD', position: 0, amountMinor: 1_000, refundedMinor: 0 },
  { tenderId: 'pt', type: 'POINTS', position: 1, amountMinor: 800, refundedMinor: 0 },
  { tenderId: 'g2', type: 'GIFT_CARD', position: 2, amountMinor: 500, refundedMinor: 0 },
  { tenderId: 'pv', type: 'PROVIDER', position: 3, amountMinor: 1_200, refundedMinor: 0 },
];

describe('splitRefund', () => {
  it('goes back along the route: provider, gift cards in the order given, then points', () => {
    expect(splitRefund(2_000, tenders, ROUTE)).toEqual([
      { tenderId: 'pv', type: 'PROVIDER', amountMinor: 1_200 },
      { tenderId: 'g1', type: 'GIFT_CARD', amountMinor: 800 },
    ]);
    expect(splitRefund(3_500, tenders, ROUTE).map((part) => [part.tenderId, part.amountMinor])).toEqual([
      ['pv', 1_200],
      ['g1', 1_000],
      ['g2', 500],
      ['pt', 800],
    ]);
    expect(splitRefund(100, tenders, ['POINTS', 'GIFT_CARD', 'PROVIDER'])).toEqual([{ tenderId: 'pt', type: 'POINTS', amountMinor: 100 }]);
  });

  it('counts what earlier refunds took and refuses more than is left, whole', () => {
    const used = tenders.map((tender) => (tender.tenderId === 'pv' ? { ...tender, refundedMinor: 1_000 } : tender));
    expect(splitRefund(300, used, ROUTE)).toEqual([
      { tenderId: 'pv', type: 'PROVIDER', amountMinor: 200 },
      { tenderId: 'g1', type: 'GIFT_CARD', amountMinor: 100 },
    ]);
    expect(() => splitRefund(2_501, used, ROUTE)).toThrow(RefundSplitError);
  });

  it('never gives a tender more than it has left, and always exactly the amount asked', () => {
    const arbitraryTenders = fc.array(
      fc.record({
        type: fc.constantFrom<TenderType>('PROVIDER', 'GIFT_CARD', 'POINTS'),
        amountMinor: fc.integer({ min: 1, max: 5_000 }),
        used: fc.integer({ min: 0, max: 100 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(arbitraryTenders, fc.integer({ min: 1, max: 40_000 }), (specs, amount) => {
        const list: RefundableTender[] = specs.map((spec, position) => ({
          tenderId: `t${position}`,
          type: spec.type,
          position,
          amountMinor: spec.amountMinor,
          refundedMinor: Math.floor((spec.amountMinor * spec.used) / 100),
        }));
        const left = refundableMinor(list);
        if (amount > left) {
          expect(() => splitRefund(amount, list, ROUTE)).toThrow(RefundSplitError);
          return;
        }
        const parts = splitRefund(amount, list, ROUTE);
        expect(parts.reduce((sum, part) => sum + part.amountMinor, 0)).toBe(amount);
        for (const part of parts) {
          const tender = list.find((candidate) => candidate.tenderId === part.tenderId)!;
          expect(part.amountMinor).toBeGreaterThan(0);
          expect(part.amountMinor).toBeLessThanOrEqual(tender.amountMinor - tender.refundedMinor);
        }
      }),
    );
  });
});
