import { describe, expect, it } from 'vitest';
import { inLedgerLockOrder } from './lock-order.js';

describe('inLedgerLockOrder', () => {
  it('puts gift cards in code order first, then points, whatever order the shopper listed them in', () => {
    const tenders = [
      { type: 'POINTS', giftCardCode: null, position: 0 },
      { type: 'GIFT_CARD', giftCardCode: 'GC-ZZZZ-AAAA-AAAA', position: 1 },
      { type: 'PROVIDER', giftCardCode: null, position: 2 },
      { type: 'GIFT_CARD', giftCardCode: 'GC-2AAA-AAAA-AAAA', position: 3 },
    ];
    expect(inLedgerLockOrder(tenders).map((tender) => tender.position)).toEqual([3, 1, 0, 2]);
  });
});
