import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditNoteFigures } from './credit-note-figures.js';
import { subOrderDelivered } from './invoice-due.js';
import type { InvoiceLineFigures } from './invoice-figures.js';
import { refundedLines, spreadStaffRefund, staffRefundLines } from './refund-breakdown.js';

const invoiceLine = (lineId: string, quantity: number, paid: number, shipping: number): InvoiceLineFigures => ({
  lineId,
  skuId: `sku-${lineId}`,
  name: lineId,
  quantity,
  unitPriceMinor: paid - shipping,
  grossMinor: (paid - shipping) * quantity,
  itemDiscountMinor: 0,
  orderDiscountMinor: (paid - shipping) * quantity - (paid - shipping),
  shippingMinor: shipping,
  paidMinor: paid,
  taxRateBasisPoints: 1300,
  taxMinor: 0,
});

describe('refund breakdown', () => {
  it('gives a compensation’s goods line by line and its fee by the invoice’s shipping shares', () => {
    const invoice = [invoiceLine('a', 2, 1_300, 300), invoiceLine('b', 1, 700, 500)];
    const lines = refundedLines(invoice, {
      lines: [{ lineId: 'a', quantity: 1, amount: 500 }],
      shippingFeeRefunded: 800,
      refundAmount: 1_300,
    });
    expect(lines).toEqual([
      { lineId: 'a', quantity: 1, paidMinor: 500, clawbackMinor: 0, releasedMinor: 0, shippingMinor: 300, refundedMinor: 800 },
      { lineId: 'b', quantity: 0, paidMinor: 0, clawbackMinor: 0, releasedMinor: 0, shippingMinor: 500, refundedMinor: 500 },
    ]);
    expect(creditNoteFigures(invoice, lines).totalMinor).toBe(-1_300);
  });

  it('repeats an after-sales refund’s own lines, clawback and release included, and spreads no fee of its own', () => {
    const invoice = [invoiceLine('a', 2, 1_300, 300)];
    const refund = { clawbackMinor: 120, releasedMinor: 20, shippingMinor: 150, refundedMinor: 550 };
    const lines = refundedLines(invoice, {
      lines: [{ lineId: 'a', quantity: 1, amount: 500, refund }],
      shippingFeeRefunded: 150,
      refundAmount: 550,
    });
    expect(lines).toEqual([{ lineId: 'a', quantity: 1, paidMinor: 500, ...refund }]);
  });

  it('spreads a staff refund by what each piece has left, never more than that, to the cent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (remaining, fraction) => {
          const left = remaining.flat().reduce((sum, amount) => sum + amount, 0);
          const amount = Math.max(1, Math.floor(left * fraction));
          const subOrders = remaining.map((pieces, s) => ({
            subOrderId: `s${s}`,
            pieces: pieces.map((remainingMinor, p) => ({ lineId: `l${s}-${p}`, remainingMinor })),
          }));
          const slices = spreadStaffRefund(amount, subOrders);
          const given = slices.flatMap((slice) => slice.lines);
          expect(given.reduce((sum, line) => sum + line.amountMinor, 0)).toBe(amount);
          if (amount <= left) {
            for (const line of given) {
              const piece = subOrders.flatMap((subOrder) => subOrder.pieces).find((candidate) => candidate.lineId === line.lineId)!;
              expect(line.amountMinor).toBeLessThanOrEqual(piece.remainingMinor);
            }
          }
          for (const slice of slices) {
            expect(staffRefundLines(slice).every((line) => line.quantity === 0 && line.refundedMinor === line.paidMinor)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('a sub-order due for its invoice', () => {
  const pieces = [
    { lineId: 'a', quantity: 3 },
    { lineId: 'b', quantity: 1 },
  ];
  it('waits for every unit to be delivered or given back, and for one delivered at least', () => {
    expect(subOrderDelivered(pieces, [{ lineId: 'a', quantity: 3 }], [])).toBe(false);
    expect(subOrderDelivered(pieces, [{ lineId: 'a', quantity: 3 }], [{ lineId: 'b', quantity: 1 }])).toBe(true);
    expect(
      subOrderDelivered(
        pieces,
        [
          { lineId: 'a', quantity: 2 },
          { lineId: 'b', quantity: 1 },
        ],
        [],
      ),
    ).toBe(false);
    expect(
      subOrderDelivered(
        pieces,
        [],
        [
          { lineId: 'a', quantity: 3 },
          { lineId: 'b', quantity: 1 },
        ],
      ),
    ).toBe(false);
  });
});

describe('a refund row kept without after-sales’ lines', () => {
  it('shows what after-sales withheld or gave back beyond goods and fee, so the note is the refund', () => {
    const invoice = [invoiceLine('a', 2, 1_300, 300)];
    const withheld = refundedLines(invoice, {
      lines: [{ lineId: 'a', quantity: 1, amount: 500 }],
      shippingFeeRefunded: 0,
      refundAmount: 450,
    });
    expect(withheld).toEqual([
      { lineId: 'a', quantity: 1, paidMinor: 500, clawbackMinor: 50, releasedMinor: 0, shippingMinor: 0, refundedMinor: 450 },
    ]);
    const released = refundedLines(invoice, {
      lines: [{ lineId: 'a', quantity: 1, amount: 500 }],
      shippingFeeRefunded: 0,
      refundAmount: 530,
    });
    expect(creditNoteFigures(invoice, released).totalMinor).toBe(-530);
  });
});
