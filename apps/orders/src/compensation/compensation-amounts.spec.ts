import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SubOrderLine } from '../order/sub-order.entity.js';
import {
  afterSalesGivenBack,
  type EarlierCompensation,
  givenBeyondPaid,
  parcelAmounts,
  returnedParcelUnits,
  stoppedSubOrderAmounts,
} from './compensation-amounts.js';

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

  it('counts what after-sales refunded as given back: a later refusal or stop refunds only the rest', () => {
    const pieces = [piece('a', 2, 1001, 800)];
    // After-sales refunded one unit (its goods spread as orders spreads them: 501, 500) and the whole fee.
    const afterSales: EarlierCompensation = {
      kind: 'AFTER_SALES_REFUND',
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 501 }],
      shippingFeeRefunded: 800,
    };
    const refused = parcelAmounts(pieces, 800, [afterSales], [{ lineId: 'a', quantity: 2 }]);
    expect(refused).toEqual({ lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }], shippingFee: 0, total: 500 });
    expect(stoppedSubOrderAmounts(pieces, 800, [afterSales])).toEqual(refused);
    const rejected: EarlierCompensation = { kind: 'PARCEL_REJECTED', lines: refused.lines, shippingFeeRefunded: 0 };
    expect(parcelAmounts(pieces, 800, [afterSales, rejected], [{ lineId: 'a', quantity: 2 }]).total).toBe(0);
  });

  it('refunds with a refusal what after-sales left of the fee (a seller-fault share refunded before)', () => {
    const pieces = [piece('a', 2, 1000, 800)];
    const afterSales: EarlierCompensation = {
      kind: 'AFTER_SALES_REFUND',
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }],
      shippingFeeRefunded: 400,
    };
    expect(parcelAmounts(pieces, 800, [afterSales], [{ lineId: 'a', quantity: 1 }])).toEqual({
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }],
      shippingFee: 400,
      total: 900,
    });
  });

  it('puts back on the shelf every unit of a returned parcel, those after-sales refunded included, each piece no more than once', () => {
    const pieces = [piece('a', 2, 1000), piece('b', 1, 700)];
    const afterSales: EarlierCompensation = {
      kind: 'AFTER_SALES_REFUND',
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }],
      shippingFeeRefunded: 0,
    };
    const parcel = [
      { lineId: 'a', quantity: 2 },
      { lineId: 'b', quantity: 1 },
    ];
    const refused = parcelAmounts(pieces, 0, [afterSales], parcel);
    expect(refused.lines.map((line) => [line.lineId, line.quantity])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    const rejected: EarlierCompensation = { kind: 'PARCEL_REJECTED', lines: refused.lines, shippingFeeRefunded: 0 };
    expect(returnedParcelUnits(pieces, [afterSales, rejected], parcel)).toEqual([
      { lineId: 'a', skuId: 'sku-a', quantity: 2, amount: 0 },
      { lineId: 'b', skuId: 'sku-b', quantity: 1, amount: 0 },
    ]);
    // A stop that restocked a unit of `a` before leaves one unit of it to restock.
    const stopped: EarlierCompensation = {
      kind: 'SUB_ORDER_STOPPED',
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }],
      shippingFeeRefunded: 0,
    };
    expect(returnedParcelUnits(pieces, [stopped, afterSales], parcel)).toEqual([
      { lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 0 },
      { lineId: 'b', skuId: 'sku-b', quantity: 1, amount: 0 },
    ]);
  });

  it('restocks with a return what its refusal refunded when after-sales had no part in it', () => {
    const pieces = [piece('a', 3, 1000)];
    const refused = parcelAmounts(pieces, 0, [], [{ lineId: 'a', quantity: 2 }]);
    const earlier: EarlierCompensation[] = [{ kind: 'PARCEL_REJECTED', lines: refused.lines, shippingFeeRefunded: 0 }];
    expect(returnedParcelUnits(pieces, earlier, [{ lineId: 'a', quantity: 2 }])).toEqual(
      refused.lines.map((line) => ({ ...line, amount: 0 })),
    );
  });

  it('groups an after-sales refund by sub-order: units with what they paid and their own breakdown, the fee, the whole refund', () => {
    const line = (subOrderId: string, lineId: string, quantity: number, paid: number, shipping: number, refunded: number) => ({
      subOrderId,
      lineId,
      skuId: `sku-${lineId}`,
      quantity,
      paidMinor: paid,
      clawbackMinor: 0,
      releasedMinor: 0,
      shippingMinor: shipping,
      refundedMinor: refunded,
    });
    const given = afterSalesGivenBack([
      line('s2', 'c', 1, 300, 0, 300),
      line('s1', 'a', 1, 500, 300, 800),
      line('s1', 'b', 2, 900, 500, 1300),
    ]);
    const refund = (shipping: number, refunded: number) => ({
      clawbackMinor: 0,
      releasedMinor: 0,
      shippingMinor: shipping,
      refundedMinor: refunded,
    });
    expect([...given]).toEqual([
      [
        's1',
        {
          lines: [
            { lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500, refund: refund(300, 800) },
            { lineId: 'b', skuId: 'sku-b', quantity: 2, amount: 900, refund: refund(500, 1300) },
          ],
          shippingFee: 800,
          refunded: 2100,
        },
      ],
      ['s2', { lines: [{ lineId: 'c', skuId: 'sku-c', quantity: 1, amount: 300, refund: refund(0, 300) }], shippingFee: 0, refunded: 300 }],
    ]);
  });

  it('finds units and fee given back twice (a refusal and an after-sales refund that crossed)', () => {
    const pieces = [piece('a', 2, 1000, 800)];
    const rejected: EarlierCompensation = {
      kind: 'PARCEL_REJECTED',
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 2, amount: 1000 }],
      shippingFeeRefunded: 800,
    };
    expect(givenBeyondPaid(pieces, 800, [rejected])).toEqual({ lines: [], shippingFee: 0 });
    const afterSales: EarlierCompensation = {
      kind: 'AFTER_SALES_REFUND',
      lines: [{ lineId: 'a', skuId: 'sku-a', quantity: 1, amount: 500 }],
      shippingFeeRefunded: 800,
    };
    const returned: EarlierCompensation = { kind: 'PARCEL_RETURNED', lines: rejected.lines, shippingFeeRefunded: 0 };
    expect(givenBeyondPaid(pieces, 800, [rejected, returned, afterSales])).toEqual({
      lines: [{ lineId: 'a', quantity: 1 }],
      shippingFee: 800,
    });
  });

  it('refuses a line that is not in the sub-order', () => {
    expect(() => parcelAmounts([piece('a', 1, 500)], 0, [], [{ lineId: 'x', quantity: 1 }])).toThrow(RangeError);
  });

  it('adds up to exactly what the sub-order paid, however its units are given back parcel by parcel, by orders or after-sales', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 7 }), merchandise: fc.integer({ min: 0, max: 100_000 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.array(
          fc.record({ cut: fc.integer({ min: 1, max: 3 }), afterSales: fc.boolean(), feeShare: fc.integer({ min: 0, max: 2_000 }) }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (shape, fee, cuts) => {
          const pieces = shape.map((s, i) => piece(`l${i}`, s.quantity, s.merchandise));
          const earlier: EarlierCompensation[] = [];
          // Parcels of up to `cut` units of one piece each, refused or refunded by after-sales, until every unit
          // left; the rest stops with the sub-order.
          let next = 0;
          for (const [i, { cut, afterSales, feeShare }] of cuts.entries()) {
            const target = pieces[next % pieces.length];
            next += 1;
            const given = parcelAmounts(pieces, fee, earlier, [{ lineId: target.lineId, quantity: cut }]);
            if (afterSales) {
              // After-sales spreads a piece's goods over its units as orders does, and may refund only part of the fee.
              const share = Math.min(feeShare, given.shippingFee);
              earlier.push({ kind: 'AFTER_SALES_REFUND', lines: given.lines, shippingFeeRefunded: share });
            } else {
              earlier.push({ kind: 'PARCEL_REJECTED', lines: given.lines, shippingFeeRefunded: given.shippingFee });
              if (i % 2 === 0)
                earlier.push({ kind: 'PARCEL_RETURNED', lines: returnedParcelUnits(pieces, earlier, given.lines), shippingFeeRefunded: 0 });
            }
          }
          const rest = stoppedSubOrderAmounts(pieces, fee, earlier);
          earlier.push({ kind: 'SUB_ORDER_STOPPED', lines: rest.lines, shippingFeeRefunded: rest.shippingFee });
          for (const p of pieces) {
            const restocked = earlier
              .filter((c) => c.kind === 'SUB_ORDER_STOPPED' || c.kind === 'PARCEL_RETURNED')
              .flatMap((c) => c.lines)
              .reduce((sum, line) => sum + (line.lineId === p.lineId ? line.quantity : 0), 0);
            expect(restocked).toBeLessThanOrEqual(p.quantity);
          }
          const refunded = earlier.reduce((sum, c) => sum + c.shippingFeeRefunded + c.lines.reduce((s, l) => s + l.amount, 0), 0);
          const paid = fee + shape.reduce((sum, s) => sum + s.merchandise, 0);
          expect(refunded).toBe(paid);
        },
      ),
    );
  });
});
