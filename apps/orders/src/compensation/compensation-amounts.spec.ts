import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SubOrderLine } from '../order/sub-order.entity.js';
import { type EarlierCompensation, parcelAmounts, stoppedSubOrderAmounts } from './compensation-amounts.js';

const piece = (lineId: string, quantity: number, merchandise: number, shippingFeeShare = 0): SubOrderLine => ({
  lineId,
  skuId: `sku-${lineId}`,
  quantity,
  merchandise,
  shippingFeeShare,
  paidAmount: merchandise + shippingFeeShare,
});

describe('compensation amounts', () => {
  it('refunds a stopped sub-order in full: every unit and its shipping fee', () => {
    const pieces = [piece('a', 2, 2300, 365), piece('b', 1, 1000, 135)];
    const amounts = stoppedSubOrderAmounts(pieces, 500, []);
    expect(amounts.total).toBe(2300 + 365 + 1000 + 135);
    expect(amounts.shippingFee).toBe(500);
    expect(amounts.lines).toEqual([
      { lineId: 'a', skuId: 'sku-a', quantity: 2, amount: 2300 },
      { lineId: 'b', skuId: 'sku-b', quantity: 1, amount: 1000 },
    ]);
  });

  it('refunds a rejected parcel with the fee when its sub-order carried one, and the fee only once', () => {
    const pieces = [piece('a', 3, 1000, 300)];
    const first = parcelAmounts(pieces, 300, [], [{ lineId: 'a', quantity: 1 }]);
    // 1000 over 3 units: 334, 333, 333.
    expect(first).toEqual({ lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 334 }], shippingFee: 300, total: 634 });
    const second = parcelAmounts(
      pieces,
      300,
      [{ lines: first.lines, shippingFeeRefunded: first.shippingFee }],
      [{ lineId: 'a', quantity: 2 }],
    );
    expect(second).toEqual({ lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 2, amount: 666 }], shippingFee: 0, total: 666 });
  });

  it('refunds no fee for a parcel whose sub-order carried none', () => {
    const amounts = parcelAmounts([piece('a', 1, 2300)], 0, [], [{ lineId: 'a', quantity: 1 }]);
    expect(amounts).toEqual({ lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 2300 }], shippingFee: 0, total: 2300 });
  });

  it('never gives back a unit twice', () => {
    const pieces = [piece('a', 1, 500)];
    const earlier: EarlierCompensation[] = [{ lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }], shippingFeeRefunded: 0 }];
    expect(parcelAmounts(pieces, 0, earlier, [{ lineId: 'a', quantity: 1 }]).total).toBe(0);
    expect(stoppedSubOrderAmounts(pieces, 0, earlier).total).toBe(0);
  });

  it('does not count a returned parcel’s restocked units as refunded a second time', () => {
    const pieces = [piece('a', 2, 1000)];
    const refused = parcelAmounts(pieces, 0, [], [{ lineId: 'a', quantity: 1 }]);
    const earlier: EarlierCompensation[] = [
      { kind: 'PARCEL_REJECTED', lines: refused.lines, shippingFeeRefunded: 0 },
      { kind: 'PARCEL_RETURNED', lines: refused.lines.map((line) => ({ ...line, amount: 0 })), shippingFeeRefunded: 0 },
    ];
    expect(parcelAmounts(pieces, 0, earlier, [{ lineId: 'a', quantity: 1 }])).toEqual({
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }],
      shippingFee: 0,
      total: 500,
    });
  });

  it('refuses a line that is not in the sub-order', () => {
    expect(() => parcelAmounts([piece('a', 1, 500)], 0, [], [{ lineId: 'x', quantity: 1 }])).toThrow(RangeError);
  });

  it('adds up to exactly what the sub-order paid, however its units are given back parcel by parcel', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 7 }), merchandise: fc.integer({ min: 0, max: 100_000 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 30 }),
        (shape, fee, cuts) => {
          const pieces = shape.map((s, i) => piece(`l${i}`, s.quantity, s.merchandise));
          const earlier: EarlierCompensation[] = [];
          // Parcels of up to `cut` units of one piece each, until every unit left; the rest stops with the sub-order.
          let next = 0;
          for (const cut of cuts) {
            const target = pieces[next % pieces.length];
            next += 1;
            const given = parcelAmounts(pieces, fee, earlier, [{ lineId: target.lineId, quantity: cut }]);
            earlier.push({ lines: given.lines, shippingFeeRefunded: given.shippingFee });
          }
          const rest = stoppedSubOrderAmounts(pieces, fee, earlier);
          earlier.push({ lines: rest.lines, shippingFeeRefunded: rest.shippingFee });
          const refunded = earlier.reduce((sum, c) => sum + c.shippingFeeRefunded + c.lines.reduce((s, l) => s + l.amount, 0), 0);
          const paid = fee + shape.reduce((sum, s) => sum + s.merchandise, 0);
          expect(refunded).toBe(paid);
        },
      ),
    );
  });
});
