import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceOrder } from './price-order.js';
import type { Coupon, ItemPromotion, OrderPromotion, PricedOrder, PricingInput } from './types.js';

const SKUS = ['A', 'B', 'C', 'D', 'E'];
const sku = fc.constantFrom(...SKUS);
const bp = fc.integer({ min: 0, max: 10_000 });
const id = fc.string({ minLength: 1 });
const kind = <K extends string>(value: K) => fc.constant(value);

/** Random carts; `maxPrice` small makes zero amounts, exact fits and tied remainders common. */
const carts = (maxPrice: number): fc.Arbitrary<PricingInput> => {
  // Mostly well below a cart's size, so that discounts are often partial and thresholds often met.
  const amount = fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: maxPrice * 20 }), weight: 3 },
    { arbitrary: fc.integer({ min: 0, max: maxPrice * 50 * 20 }), weight: 1 },
  );
  const itemPromotion: fc.Arbitrary<ItemPromotion> = fc.oneof(
    fc.record({
      id,
      kind: kind('ITEM_AMOUNT_OFF'),
      skuId: sku,
      amountOffPerUnitMinor: fc.integer({ min: 0, max: maxPrice }),
    }),
    fc.record({ id, kind: kind('ITEM_PERCENT_OFF'), skuId: sku, basisPoints: bp }),
  );
  const orderPromotion: fc.Arbitrary<OrderPromotion> = fc.oneof(
    fc.record({ id, kind: kind('THRESHOLD'), thresholdMinor: amount, discountMinor: amount }),
    fc.record(
      { id, kind: kind('PERCENTAGE'), basisPoints: bp, capMinor: amount, minSpendMinor: amount },
      { requiredKeys: ['id', 'kind', 'basisPoints'] },
    ),
  );
  const coupon: fc.Arbitrary<Coupon> = fc.oneof(
    fc.record(
      { code: id, kind: kind('AMOUNT'), amountMinor: amount, minSpendMinor: amount, capMinor: amount },
      { requiredKeys: ['code', 'kind', 'amountMinor'] },
    ),
    fc.record(
      { code: id, kind: kind('PERCENT'), basisPoints: bp, minSpendMinor: amount, capMinor: amount },
      { requiredKeys: ['code', 'kind', 'basisPoints'] },
    ),
  );
  const line = fc.record({
    skuId: sku,
    unitPriceMinor: fc.integer({ min: 0, max: maxPrice }),
    quantity: fc.integer({ min: 1, max: 50 }),
  });
  const lines = fc.array(line, { minLength: 1, maxLength: 20 }).map((drawn) => drawn.map((l, i) => ({ lineId: `L${i}`, ...l })));
  const shipping = fc.record(
    { flatFeeMinor: fc.integer({ min: 0, max: 100_000 }), freeFromMinor: amount },
    { requiredKeys: ['flatFeeMinor'] },
  );
  return fc.record(
    {
      currency: fc.constant('CNY'),
      lines,
      itemPromotions: fc.array(itemPromotion, { maxLength: 6 }),
      orderPromotions: fc.array(orderPromotion, { maxLength: 5 }),
      coupon,
      shipping,
    },
    { requiredKeys: ['currency', 'lines', 'itemPromotions', 'orderPromotions', 'shipping'] },
  );
};

const anyCart = fc.oneof(carts(10_000_000), carts(100), carts(3));
const sum = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
const property = (check: (input: PricingInput, order: PricedOrder) => void) => () =>
  fc.assert(
    fc.property(anyCart, (input) => {
      check(input, priceOrder(input));
    }),
    { numRuns: 500 },
  );

describe('priceOrder properties', () => {
  it(
    'line shares of the order discount add up to it exactly',
    property((_, order) => expect(sum(order.lines.map((l) => l.orderDiscountShareMinor))).toBe(order.orderDiscountMinor)),
  );

  it(
    'line shares of the shipping fee add up to it exactly',
    property((_, order) => expect(sum(order.lines.map((l) => l.shippingFeeShareMinor))).toBe(order.shippingFeeMinor)),
  );

  it(
    'paid amounts add up to the payable, which follows the order formula',
    property((_, order) => {
      expect(sum(order.lines.map((l) => l.paidAmountMinor))).toBe(order.payableMinor);
      const { itemsTotalMinor, itemDiscountMinor, orderDiscountMinor, shippingFeeMinor } = order;
      expect(order.payableMinor).toBe(itemsTotalMinor - itemDiscountMinor - orderDiscountMinor + shippingFeeMinor);
    }),
  );

  it(
    'each line follows the line formula and carries its input',
    property((input, order) => {
      order.lines.forEach((l, i) => {
        expect(l).toMatchObject(input.lines[i]);
        expect(l.lineAmountMinor).toBe(l.unitPriceMinor * l.quantity);
        const merchandise = l.lineAmountMinor - l.itemDiscountMinor - l.orderDiscountShareMinor;
        expect(l.paidAmountMinor).toBe(merchandise + l.shippingFeeShareMinor);
      });
      expect(order.itemsTotalMinor).toBe(sum(order.lines.map((l) => l.lineAmountMinor)));
      expect(order.itemDiscountMinor).toBe(sum(order.lines.map((l) => l.itemDiscountMinor)));
    }),
  );

  it(
    'every amount is a non-negative safe integer, and no discount exceeds what it discounts',
    property((_, order) => {
      const { lines, applied, coupon, currency, ...totals } = order;
      const amounts = [
        ...Object.values(totals),
        ...lines.flatMap(({ lineId, skuId, ...figures }) => Object.values(figures)),
        ...applied.map((a) => a.discountMinor),
      ];
      for (const amount of amounts) expect(Number.isSafeInteger(amount) && amount >= 0).toBe(true);
      for (const l of lines) {
        expect(l.itemDiscountMinor).toBeLessThanOrEqual(l.lineAmountMinor);
        expect(l.orderDiscountShareMinor).toBeLessThanOrEqual(l.lineAmountMinor - l.itemDiscountMinor);
      }
      expect(order.orderDiscountMinor).toBeLessThanOrEqual(order.itemsTotalMinor - order.itemDiscountMinor);
    }),
  );

  it(
    'each line share of the order discount is within one unit of its exact proportion',
    property((_, order) => {
      const weights = order.lines.map((l) => BigInt(l.lineAmountMinor - l.itemDiscountMinor));
      const total = weights.reduce((s, w) => s + w, 0n);
      if (total === 0n) return;
      order.lines.forEach((l, i) => {
        const error = BigInt(l.orderDiscountShareMinor) * total - BigInt(order.orderDiscountMinor) * weights[i];
        expect(error < total && -error < total).toBe(true);
      });
    }),
  );

  it(
    'applied discounts account for every discount, with at most one of each order-level kind',
    property((input, order) => {
      expect(sum(order.applied.map((a) => a.discountMinor))).toBe(order.itemDiscountMinor + order.orderDiscountMinor);
      for (const a of order.applied) expect(a.discountMinor).toBeGreaterThan(0);
      for (const kind of ['THRESHOLD', 'PERCENTAGE', 'PERCENT', 'AMOUNT']) {
        expect(order.applied.filter((a) => a.kind === kind).length).toBeLessThanOrEqual(1);
      }
      const couponApplied = order.applied.some((a) => a.source === 'coupon');
      expect(order.coupon?.code).toBe(input.coupon?.code);
      expect(order.coupon?.accepted ?? false).toBe(couponApplied);
      if (order.coupon && !order.coupon.accepted) expect(order.coupon.reason).toBeDefined();
    }),
  );

  it(
    'charges the flat fee unless the merchandise after discounts reaches the free-shipping line',
    property((input, order) => {
      const merchandise = order.payableMinor - order.shippingFeeMinor;
      const { flatFeeMinor, freeFromMinor } = input.shipping;
      const free = freeFromMinor !== undefined && merchandise >= freeFromMinor;
      expect(order.shippingFeeMinor).toBe(free ? 0 : flatFeeMinor);
    }),
  );

  it(
    'is deterministic and leaves its input untouched',
    property((input, order) => {
      const copy = structuredClone(input);
      expect(priceOrder(copy)).toEqual(order);
      expect(input).toEqual(copy);
    }),
  );
});
