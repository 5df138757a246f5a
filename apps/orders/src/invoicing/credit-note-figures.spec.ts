import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceableSubOrders, pricedAndSplit } from '../testing/invoiceable-orders.js';
import { creditNoteFigures, feeByLine, type RefundedLine } from './credit-note-figures.js';
import { type InvoiceLineFigures, invoiceFigures } from './invoice-figures.js';

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

const invoiceLine = (
  lineId: string,
  quantity: number,
  paidMinor: number,
  shippingMinor: number,
  taxRateBasisPoints = 1300,
): InvoiceLineFigures => ({
  lineId,
  skuId: `sku-${lineId}`,
  name: `Item ${lineId}`,
  quantity,
  unitPriceMinor: 0,
  grossMinor: 0,
  itemDiscountMinor: 0,
  orderDiscountMinor: 0,
  shippingMinor,
  paidMinor,
  taxRateBasisPoints,
  taxMinor: 0,
});

describe('creditNoteFigures', () => {
  it('takes the refund’s breakdown line by line, negative, clawback included, with the invoice’s words and rates', () => {
    const invoice = [invoiceLine('L1', 2, 9231, 769), invoiceLine('L2', 1, 2769, 231, 600)];
    // The cup back: 25.38 of goods less 15.38 the teas kept lost; the fee stays.
    const note = creditNoteFigures(invoice, [
      { lineId: 'L2', quantity: 1, paidMinor: 2538, clawbackMinor: 1538, releasedMinor: 0, shippingMinor: 0, refundedMinor: 1000 },
    ]);
    expect(note.lines).toEqual([
      {
        lineId: 'L2',
        skuId: 'sku-L2',
        name: 'Item L2',
        quantity: 1,
        paidMinor: 2538,
        clawbackMinor: 1538,
        releasedMinor: 0,
        shippingMinor: 0,
        amountMinor: -1000,
        taxRateBasisPoints: 600,
        // 10.00 at 6 %: 0.566… → −0.57.
        taxMinor: -57,
      },
    ]);
    expect([note.totalMinor, note.taxMinor]).toEqual([-1000, -57]);
  });

  it('refuses a breakdown that does not add up, or a line the invoice does not have', () => {
    const invoice = [invoiceLine('L1', 2, 9231, 769)];
    const line: RefundedLine = {
      lineId: 'L1',
      quantity: 1,
      paidMinor: 100,
      clawbackMinor: 0,
      releasedMinor: 0,
      shippingMinor: 0,
      refundedMinor: 100,
    };
    expect(() => creditNoteFigures(invoice, [{ ...line, refundedMinor: 99 }])).toThrow(RangeError);
    expect(() => creditNoteFigures(invoice, [{ ...line, lineId: 'L9' }])).toThrow(RangeError);
    expect(() => creditNoteFigures(invoice, [{ ...line, quantity: 3 }])).toThrow(RangeError);
    expect(() => creditNoteFigures(invoice, [{ ...line, clawbackMinor: -1, refundedMinor: 101 }])).toThrow(RangeError);
  });

  it('spreads a sub-order’s fee refunded on its own over the lines by their invoiced shipping shares', () => {
    expect(feeByLine([invoiceLine('L1', 2, 9231, 769), invoiceLine('L2', 1, 2769, 231), invoiceLine('L3', 1, 500, 0)], 1000)).toEqual([
      { lineId: 'L1', shippingMinor: 769 },
      { lineId: 'L2', shippingMinor: 231 },
    ]);
  });

  /** Refunds of random units, each giving back a part of what they paid less a clawback, the rest of the line with its last units. */
  const refundPlans = fc.array(fc.record({ line: fc.nat(), units: fc.nat(), clawback: fc.nat({ max: 10_000 }), release: fc.boolean() }), {
    maxLength: 12,
  });

  it('keeps, over any sequence of refunds, an order’s invoices less its credit notes equal to what it paid less what was refunded', () => {
    fc.assert(
      fc.property(pricedAndSplit, refundPlans, ({ priced, plan, invoiceable }, refunds) => {
        const invoices = invoiceFigures(invoiceable, invoiceableSubOrders(plan));
        const lines = invoices.flatMap((invoice) => invoice.lines.map((line) => ({ invoice, line })));
        const left = new Map(
          lines.map(({ invoice, line }) => [
            `${invoice.subOrderId}/${line.lineId}`,
            { units: line.quantity, paid: line.paidMinor - line.shippingMinor, withheld: 0 },
          ]),
        );
        let refundedMinor = 0;
        let creditedMinor = 0;
        for (const step of refunds) {
          const { invoice, line } = lines[step.line % lines.length];
          const still = left.get(`${invoice.subOrderId}/${line.lineId}`)!;
          if (still.units === 0) continue;
          const units = 1 + (step.units % still.units);
          const last = units === still.units;
          const paidMinor = last ? still.paid : Math.floor((still.paid * units) / still.units);
          const clawbackMinor = last ? 0 : Math.min(step.clawback, paidMinor);
          const releasedMinor = last || step.release ? still.withheld : 0;
          const shippingMinor = last ? line.shippingMinor : 0;
          const refunded: RefundedLine = {
            lineId: line.lineId,
            quantity: units,
            paidMinor,
            clawbackMinor,
            releasedMinor,
            shippingMinor,
            refundedMinor: paidMinor - clawbackMinor + releasedMinor + shippingMinor,
          };
          Object.assign(still, {
            units: still.units - units,
            paid: still.paid - paidMinor,
            withheld: still.withheld + clawbackMinor - releasedMinor,
          });
          const note = creditNoteFigures(invoice.lines, [refunded]);
          refundedMinor += refunded.refundedMinor;
          creditedMinor += note.totalMinor;
          expect(sum(note.lines.map((noteLine) => noteLine.taxMinor))).toBe(note.taxMinor);
          for (const noteLine of note.lines) {
            expect(noteLine.amountMinor).toBeLessThanOrEqual(0);
            expect(noteLine.taxMinor).toBeLessThanOrEqual(0);
            expect(noteLine.taxMinor).toBeGreaterThanOrEqual(noteLine.amountMinor);
          }
        }
        const invoicedMinor = sum(invoices.map((invoice) => invoice.totalMinor));
        expect(invoicedMinor).toBe(priced.payableMinor);
        expect(invoicedMinor + creditedMinor).toBe(priced.payableMinor - refundedMinor);
        // Everything back, nothing withheld: the credit notes undo the invoices exactly.
        if ([...left.values()].every((line) => line.units === 0 && line.withheld === 0)) expect(creditedMinor + invoicedMinor).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
