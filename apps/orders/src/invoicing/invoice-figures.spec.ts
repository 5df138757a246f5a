import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceableSubOrders, pricedAndSplit } from '../testing/invoiceable-orders.js';
import { type InvoiceableLine, invoiceFigures } from './invoice-figures.js';

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('invoiceFigures', () => {
  it('invoices a line cut over two sub-orders piece by piece, each piece’s figures adding up to the line’s', () => {
    // 3 × 10.00, item discount 3.00, order discount share 2.00: 25.00 of goods, 2 units from one
    // warehouse (16.67 by the split) and 1 from another (8.33).
    const line: InvoiceableLine = {
      lineId: 'L1',
      skuId: 'tea',
      name: 'Tea',
      quantity: 3,
      unitPriceMinor: 1000,
      itemDiscountMinor: 300,
      orderDiscountShareMinor: 200,
      taxRateBasisPoints: 1300,
    };
    const [east, west] = invoiceFigures(
      [line],
      [
        { subOrderId: 'S1', pieces: [{ lineId: 'L1', quantity: 2, merchandiseMinor: 1667, shippingFeeShareMinor: 1000 }] },
        { subOrderId: 'S2', pieces: [{ lineId: 'L1', quantity: 1, merchandiseMinor: 833, shippingFeeShareMinor: 0 }] },
      ],
    );
    // Discounts 3.33 and 1.67; the item discount's 3.00 spread over them: 2.00 and 1.00.
    expect(east.lines[0]).toMatchObject({
      grossMinor: 2000,
      itemDiscountMinor: 200,
      orderDiscountMinor: 133,
      shippingMinor: 1000,
      paidMinor: 2667,
    });
    expect(west.lines[0]).toMatchObject({
      grossMinor: 1000,
      itemDiscountMinor: 100,
      orderDiscountMinor: 67,
      shippingMinor: 0,
      paidMinor: 833,
    });
    // 26.67 at 13 %: 3.068… → 3.07; 8.33: 0.958… → 0.96.
    expect([east.totalMinor, east.taxMinor, west.totalMinor, west.taxMinor]).toEqual([2667, 307, 833, 96]);
  });

  it('refuses pieces that do not add up to the line', () => {
    const line: InvoiceableLine = {
      lineId: 'L1',
      skuId: 'tea',
      name: 'Tea',
      quantity: 2,
      unitPriceMinor: 1000,
      itemDiscountMinor: 0,
      orderDiscountShareMinor: 0,
      taxRateBasisPoints: 1300,
    };
    expect(() =>
      invoiceFigures(
        [line],
        [{ subOrderId: 'S1', pieces: [{ lineId: 'L1', quantity: 2, merchandiseMinor: 1999, shippingFeeShareMinor: 0 }] }],
      ),
    ).toThrow(RangeError);
    expect(() =>
      invoiceFigures(
        [line],
        [{ subOrderId: 'S1', pieces: [{ lineId: 'L9', quantity: 2, merchandiseMinor: 2000, shippingFeeShareMinor: 0 }] }],
      ),
    ).toThrow(RangeError);
  });

  it('gives each sub-order an invoice of exactly what it paid, and all of them together exactly what the order paid', () => {
    fc.assert(
      fc.property(pricedAndSplit, ({ priced, plan, invoiceable }) => {
        const invoices = invoiceFigures(invoiceable, invoiceableSubOrders(plan));
        for (const [index, invoice] of invoices.entries()) {
          expect(invoice.totalMinor).toBe(sum(plan.subOrders[index].lines.map((piece) => piece.paidAmount)));
          expect(sum(invoice.lines.map((line) => line.taxMinor))).toBe(invoice.taxMinor);
          for (const line of invoice.lines) {
            for (const figure of [
              line.grossMinor,
              line.itemDiscountMinor,
              line.orderDiscountMinor,
              line.shippingMinor,
              line.paidMinor,
              line.taxMinor,
            ]) {
              expect(Number.isInteger(figure) && figure >= 0).toBe(true);
            }
            expect(line.grossMinor - line.itemDiscountMinor - line.orderDiscountMinor + line.shippingMinor).toBe(line.paidMinor);
          }
        }
        expect(sum(invoices.map((invoice) => invoice.totalMinor))).toBe(priced.payableMinor);
        // Each line's pieces add up to the line's own figures, whatever sub-orders carry them.
        for (const line of priced.lines) {
          const pieces = invoices.flatMap((invoice) => invoice.lines.filter((piece) => piece.lineId === line.lineId));
          expect(sum(pieces.map((piece) => piece.itemDiscountMinor))).toBe(line.itemDiscountMinor);
          expect(sum(pieces.map((piece) => piece.orderDiscountMinor))).toBe(line.orderDiscountShareMinor);
          expect(sum(pieces.map((piece) => piece.grossMinor))).toBe(line.lineAmountMinor);
        }
      }),
      { numRuns: 300 },
    );
  });
});
