import { describe, expect, it } from 'vitest';
import { priceOrder } from './price-order.js';
import type { CartLine, PricedOrder, PricingInput } from './types.js';

const line = (lineId: string, skuId: string, unitPriceMinor: number, quantity = 1): CartLine => ({
  lineId,
  skuId,
  unitPriceMinor,
  quantity,
});
const input = (overrides: Partial<PricingInput>): PricingInput => ({
  currency: 'CNY',
  lines: [],
  itemPromotions: [],
  orderPromotions: [],
  shipping: { flatFeeMinor: 0 },
  ...overrides,
});
type ShareField = 'orderDiscountShareMinor' | 'shippingFeeShareMinor' | 'paidAmountMinor';
const column = (order: PricedOrder, field: ShareField): number[] => order.lines.map((l) => l[field]);

describe('priceOrder', () => {
  it('apportions "spend 5000 save 1000" with the tail on the largest remainder', () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 1000), line('L2', 'B', 2000), line('L3', 'C', 3001)],
        orderPromotions: [{ id: 'T', kind: 'THRESHOLD', thresholdMinor: 5000, discountMinor: 1000 }],
        shipping: { flatFeeMinor: 800, freeFromMinor: 9900 },
      }),
    );
    // Exact shares 166.64, 333.28, 500.08: floors 166/333/500 leave 1 unit, for L1 (.64).
    expect(column(order, 'orderDiscountShareMinor')).toEqual([167, 333, 500]);
    // Fee 800 over paid merchandise 833/1667/2501: exact 133.25, 266.67, 400.08 → the unit goes to L2.
    expect(column(order, 'shippingFeeShareMinor')).toEqual([133, 267, 400]);
    expect(column(order, 'paidAmountMinor')).toEqual([966, 1934, 2901]);
    expect(order).toMatchObject({
      itemsTotalMinor: 6001,
      itemDiscountMinor: 0,
      orderDiscountMinor: 1000,
      shippingFeeMinor: 800,
      payableMinor: 5801,
      applied: [{ source: 'promotion', id: 'T', kind: 'THRESHOLD', discountMinor: 1000 }],
    });
    expect(order.coupon).toBeUndefined();
  });

  it('gives a tied tail unit to the earlier line in the cart', () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 1000), line('L2', 'B', 1000), line('L3', 'C', 1000)],
        orderPromotions: [{ id: 'T', kind: 'THRESHOLD', thresholdMinor: 3000, discountMinor: 100 }],
      }),
    );
    expect(column(order, 'orderDiscountShareMinor')).toEqual([34, 33, 33]);
  });

  it('stacks item promotion, threshold, percentage and coupon in that order', () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 2500, 2), line('L2', 'B', 3000), line('L3', 'C', 250, 4)],
        itemPromotions: [
          { id: 'A-200', kind: 'ITEM_AMOUNT_OFF', skuId: 'A', amountOffPerUnitMinor: 200 }, // 400
          { id: 'A-10%', kind: 'ITEM_PERCENT_OFF', skuId: 'A', basisPoints: 1000 }, // 500, wins
          { id: 'C-300', kind: 'ITEM_AMOUNT_OFF', skuId: 'C', amountOffPerUnitMinor: 300 }, // capped at 250/unit
        ],
        orderPromotions: [
          { id: 'T5000', kind: 'THRESHOLD', thresholdMinor: 5000, discountMinor: 300 },
          { id: 'P10', kind: 'PERCENTAGE', basisPoints: 1000, capMinor: 500 }, // 700 → capped 500, wins
          { id: 'T7000', kind: 'THRESHOLD', thresholdMinor: 7000, discountMinor: 500 }, // wins
          { id: 'T8000', kind: 'THRESHOLD', thresholdMinor: 8000, discountMinor: 1000 }, // 7500 < 8000
          { id: 'P5', kind: 'PERCENTAGE', basisPoints: 500 }, // 350
          { id: 'P20', kind: 'PERCENTAGE', basisPoints: 2000, minSpendMinor: 8000 }, // 7000 < 8000
        ],
        coupon: { code: 'SAVE10', kind: 'PERCENT', basisPoints: 1000, capMinor: 600, minSpendMinor: 6000 }, // 650 → 600
        shipping: { flatFeeMinor: 1000, freeFromMinor: 6000 }, // 5900 < 6000
      }),
    );
    expect(order.lines.map((l) => [l.lineAmountMinor, l.itemDiscountMinor])).toEqual([
      [5000, 500],
      [3000, 0],
      [1000, 1000],
    ]);
    expect(order.applied).toEqual([
      { source: 'promotion', id: 'A-10%', kind: 'ITEM_PERCENT_OFF', discountMinor: 500 },
      { source: 'promotion', id: 'C-300', kind: 'ITEM_AMOUNT_OFF', discountMinor: 1000 },
      { source: 'promotion', id: 'T7000', kind: 'THRESHOLD', discountMinor: 500 },
      { source: 'promotion', id: 'P10', kind: 'PERCENTAGE', discountMinor: 500 },
      { source: 'coupon', id: 'SAVE10', kind: 'PERCENT', discountMinor: 600 },
    ]);
    expect(order.coupon).toEqual({ code: 'SAVE10', accepted: true });
    // 1600 over 4500/3000/0, 1000 over 3540/2360/0: exact, and the free line takes nothing.
    expect(column(order, 'orderDiscountShareMinor')).toEqual([960, 640, 0]);
    expect(column(order, 'shippingFeeShareMinor')).toEqual([600, 400, 0]);
    expect(column(order, 'paidAmountMinor')).toEqual([4140, 2760, 0]);
    expect(order).toMatchObject({
      itemsTotalMinor: 9000,
      itemDiscountMinor: 1500,
      orderDiscountMinor: 1600,
      shippingFeeMinor: 1000,
      payableMinor: 6900,
    });
  });

  it("checks the coupon's min spend after the order promotions, and still prices the order", () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 6001)],
        orderPromotions: [{ id: 'T', kind: 'THRESHOLD', thresholdMinor: 5000, discountMinor: 1000 }],
        coupon: { code: 'C500', kind: 'AMOUNT', amountMinor: 500, minSpendMinor: 6000 },
      }),
    );
    expect(order.coupon).toEqual({ code: 'C500', accepted: false, reason: 'MIN_SPEND_NOT_MET' });
    expect(order.orderDiscountMinor).toBe(1000);
    expect(order.payableMinor).toBe(5001);
    expect(order.applied.map((a) => a.id)).toEqual(['T']);
  });

  it('refuses a coupon that would take nothing off', () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 1000)],
        orderPromotions: [{ id: 'T', kind: 'THRESHOLD', thresholdMinor: 0, discountMinor: 5000 }],
        coupon: { code: 'C', kind: 'AMOUNT', amountMinor: 100 },
      }),
    );
    expect(order.orderDiscountMinor).toBe(1000);
    expect(order.coupon).toEqual({ code: 'C', accepted: false, reason: 'NO_DISCOUNT' });
    expect(order.payableMinor).toBe(0);
  });

  it('caps an amount coupon at what remains', () => {
    const coupon = { code: 'C', kind: 'AMOUNT', amountMinor: 500 } as const;
    const order = priceOrder(input({ lines: [line('L1', 'A', 300)], coupon }));
    expect(order.orderDiscountMinor).toBe(300);
    expect(order.coupon?.accepted).toBe(true);
    expect(order.applied).toEqual([{ source: 'coupon', id: 'C', kind: 'AMOUNT', discountMinor: 300 }]);
  });

  it('waives shipping from the free-shipping line, measured after all discounts', () => {
    const lines = [line('L1', 'A', 5000)];
    const shipping = { flatFeeMinor: 600, freeFromMinor: 5000 };
    expect(priceOrder(input({ lines, shipping })).shippingFeeMinor).toBe(0);
    const discounted = priceOrder(
      input({ lines, shipping, orderPromotions: [{ id: 'T', kind: 'THRESHOLD', thresholdMinor: 0, discountMinor: 1 }] }),
    );
    expect(discounted.shippingFeeMinor).toBe(600);
    expect(discounted.payableMinor).toBe(5599);
  });

  it('spreads the fee evenly when no line pays for merchandise', () => {
    const order = priceOrder(input({ lines: [line('L1', 'A', 0), line('L2', 'B', 0, 3)], shipping: { flatFeeMinor: 5 } }));
    expect(column(order, 'shippingFeeShareMinor')).toEqual([3, 2]);
    expect(order.payableMinor).toBe(5);
  });

  it('applies no item promotion of another SKU and lists none that took nothing off', () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 1000)],
        itemPromotions: [
          { id: 'B', kind: 'ITEM_PERCENT_OFF', skuId: 'B', basisPoints: 5000 },
          { id: 'A0', kind: 'ITEM_AMOUNT_OFF', skuId: 'A', amountOffPerUnitMinor: 0 },
        ],
      }),
    );
    expect(order.itemDiscountMinor).toBe(0);
    expect(order.applied).toEqual([]);
  });

  it('rounds an item percentage once per line, not per unit', () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 335, 3)],
        itemPromotions: [{ id: 'A-10%', kind: 'ITEM_PERCENT_OFF', skuId: 'A', basisPoints: 1000 }],
      }),
    );
    expect(order.itemDiscountMinor).toBe(100); // 10 % of 1005; per unit it would be 3 × 33
  });

  it('sums one item promotion over all the lines it discounts', () => {
    const order = priceOrder(
      input({
        lines: [line('L1', 'A', 1000, 2), line('L2', 'A', 1000)],
        itemPromotions: [{ id: 'A-100', kind: 'ITEM_AMOUNT_OFF', skuId: 'A', amountOffPerUnitMinor: 100 }],
      }),
    );
    expect(order.applied).toEqual([{ source: 'promotion', id: 'A-100', kind: 'ITEM_AMOUNT_OFF', discountMinor: 300 }]);
  });

  it('does not modify its input', () => {
    const given = input({
      lines: [line('L1', 'A', 1000)],
      orderPromotions: [{ id: 'T', kind: 'THRESHOLD', thresholdMinor: 0, discountMinor: 1 }],
    });
    const copy = structuredClone(given);
    priceOrder(given);
    expect(given).toEqual(copy);
  });
});
