/**
 * Orders as the pricing engine prices them and orders' split cuts them, for property tests of what
 * is made of their figures (invoices, credit notes).
 */
import { type PricingInput, priceOrder } from '@mallard/pricing';
import fc from 'fast-check';
import { SHIPPING_FEE_SPLITS } from '../config/orders-config.js';
import type { InvoiceableLine, InvoiceableSubOrder } from '../invoicing/invoice-figures.js';
import { type SplitPlan, splitOrder } from '../split/split-order.js';

/** Priced by the pricing engine, split by orders' own split: the figures invoices are made of. */
export const pricedAndSplit = fc
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

/** The split's sub-orders as invoices take them. */
export function invoiceableSubOrders(plan: SplitPlan): InvoiceableSubOrder[] {
  return plan.subOrders.map((subOrder) => ({
    subOrderId: subOrder.key,
    pieces: subOrder.lines.map((piece) => ({
      lineId: piece.lineId,
      quantity: piece.quantity,
      merchandiseMinor: piece.merchandise,
      shippingFeeShareMinor: piece.shippingFeeShare,
    })),
  }));
}
