import { type PricingInput, priceOrder } from '@mallard/pricing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHIPPING_FEE_SPLITS } from '../config/orders-config.js';
import { splitOrder } from '../split/split-order.js';
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

  /** Priced by the pricing engine, split by orders' own split: the figures invoices are made of. */
  const pricedAndSplit = fc
    .record({
      lines: fc.array(
        fc.record({
          unitPriceMinor: fc.integer({ min: 0, max: 50_000 }),
          quantity: fc.integer({ min: 1, max: 12 }),
          itemOff: fc.integer({ min: 0, max: 5_000 }),
          rate: fc.constantFrom(0, 600, 900, 1300),
          warehouses: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      threshold: fc.integer({ min: 0, max: 200_000 }),
      thresholdOff: fc.integer({ min: 0, max: 50_000 }),
      coupon: fc.integer({ min: 0, max: 30_000 }),
      fee: fc.integer({ min: 0, max: 2_000 }),
      mode: fc.constantFrom(...SHIPPING_FEE_SPLITS),
    })
    .map(({ lines, threshold, thresholdOff, coupon, fee, mode }) => {
      const input: PricingInput = {
        currency: 'CNY',
        lines: lines.map((line, index) => ({
          lineId: `L${index}`,
          skuId: `sku${index}`,
          unitPriceMinor: line.unitPriceMinor,
          quantity: line.quantity,
        })),
        itemPromotions: lines.map((line, index) => ({
          id: `off${index}`,
          kind: 'ITEM_AMOUNT_OFF' as const,
          skuId: `sku${index}`,
          amountOffPerUnitMinor: line.itemOff,
        })),
        orderPromotions: [{ id: 'spend-save', kind: 'THRESHOLD', thresholdMinor: threshold, discountMinor: thresholdOff }],
        coupon: { code: 'AMT', kind: 'AMOUNT', amountMinor: coupon },
        shipping: { flatFeeMinor: fee },
      };
      const priced = priceOrder(input);
      const plan = splitOrder(
        priced.lines.map((line, index) => {
          const units = new Map<string, number>();
          for (let unit = 0; unit < line.quantity; unit += 1) {
            const warehouseId = `W${lines[index].warehouses[unit]}`;
            units.set(warehouseId, (units.get(warehouseId) ?? 0) + 1);
          }
          return {
            lineId: line.lineId,
            skuId: line.skuId,
            merchantId: 'mall',
            fulfilmentType: 'SELF_OPERATED' as const,
            quantity: line.quantity,
            paidAmount: line.paidAmountMinor,
            shippingFeeShare: line.shippingFeeShareMinor,
            allocations: [...units].map(([warehouseId, quantity]) => ({ warehouseId, quantity })),
          };
        }),
        priced.shippingFeeMinor,
        mode,
      );
      const invoiceable: InvoiceableLine[] = priced.lines.map((line, index) => ({
        lineId: line.lineId,
        skuId: line.skuId,
        name: line.skuId,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
        itemDiscountMinor: line.itemDiscountMinor,
        orderDiscountShareMinor: line.orderDiscountShareMinor,
        taxRateBasisPoints: lines[index].rate,
      }));
      return { priced, plan, invoiceable };
    });

  it('gives each sub-order an invoice of exactly what it paid, and all of them together exactly what the order paid', () => {
    fc.assert(
      fc.property(pricedAndSplit, ({ priced, plan, invoiceable }) => {
        const invoices = invoiceFigures(
          invoiceable,
          plan.subOrders.map((subOrder) => ({
            subOrderId: subOrder.key,
            pieces: subOrder.lines.map((piece) => ({
              lineId: piece.lineId,
              quantity: piece.quantity,
              merchandiseMinor: piece.merchandise,
              shippingFeeShareMinor: piece.shippingFeeShare,
            })),
          })),
        );
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
