import { describe, expect, it } from 'vitest';
import { priceOrder } from './price-order.js';
import { PricingError } from './pricing-error.js';
import type { ItemPromotion, OrderPromotion, PricingInput } from './types.js';

const valid = (): PricingInput => ({
  currency: 'EUR',
  lines: [{ lineId: 'L1', skuId: 'A', unitPriceMinor: 100, quantity: 1 }],
  itemPromotions: [],
  orderPromotions: [],
  shipping: { flatFeeMinor: 0 },
});
const MAX = Number.MAX_SAFE_INTEGER;

const item = (i: PricingInput, promotion: ItemPromotion) => i.itemPromotions.push(promotion);
const order = (i: PricingInput, promotion: OrderPromotion) => i.orderPromotions.push(promotion);
const L1 = (i: PricingInput) => i.lines[0];

const cases: [string, string, (input: PricingInput) => void][] = [
  ['an empty cart', 'EMPTY_CART', (i) => (i.lines = [])],
  ['a lowercase currency', 'INVALID_CURRENCY', (i) => (i.currency = 'eur')],
  ['a line without an id', 'INVALID_LINE', (i) => (L1(i).lineId = '')],
  ['a zero quantity', 'INVALID_QUANTITY', (i) => (L1(i).quantity = 0)],
  ['a negative quantity', 'INVALID_QUANTITY', (i) => (L1(i).quantity = -1)],
  ['a fractional quantity', 'INVALID_QUANTITY', (i) => (L1(i).quantity = 1.5)],
  ['a negative price', 'INVALID_PRICE', (i) => (L1(i).unitPriceMinor = -1)],
  ['a fractional price', 'INVALID_PRICE', (i) => (L1(i).unitPriceMinor = 9.99)],
  ['an unsafe price', 'INVALID_PRICE', (i) => (L1(i).unitPriceMinor = MAX + 1)],
  ['a duplicate line id', 'DUPLICATE_LINE_ID', (i) => i.lines.push({ ...L1(i) })],
  ['an unsafe line amount', 'UNSAFE_AMOUNT', (i) => Object.assign(L1(i), { unitPriceMinor: MAX, quantity: 2 })],
  ['an unsafe items total', 'UNSAFE_AMOUNT', (i) => i.lines.push({ ...L1(i), lineId: 'L2', unitPriceMinor: MAX })],
  [
    'an unsafe total with shipping',
    'UNSAFE_AMOUNT',
    (i) => {
      L1(i).unitPriceMinor = MAX;
      i.shipping.flatFeeMinor = 1;
    },
  ],
  ['over 100 % off an item', 'INVALID_PROMOTION', (i) => item(i, { id: 'P', kind: 'ITEM_PERCENT_OFF', skuId: 'A', basisPoints: 10_001 })],
  [
    'a negative amount off',
    'INVALID_PROMOTION',
    (i) => item(i, { id: 'P', kind: 'ITEM_AMOUNT_OFF', skuId: 'A', amountOffPerUnitMinor: -1 }),
  ],
  ['a threshold without a discount', 'INVALID_PROMOTION', (i) => order(i, { id: 'T', kind: 'THRESHOLD', thresholdMinor: 1 } as never)],
  ['a negative percentage cap', 'INVALID_PROMOTION', (i) => order(i, { id: 'P', kind: 'PERCENTAGE', basisPoints: 1, capMinor: -1 })],
  ['an unknown promotion kind', 'INVALID_PROMOTION', (i) => order(i, { id: 'X', kind: 'BOGO' } as never)],
  ['an amount coupon without an amount', 'INVALID_COUPON', (i) => (i.coupon = { code: 'C', kind: 'AMOUNT' })],
  ['a percent coupon over 100 %', 'INVALID_COUPON', (i) => (i.coupon = { code: 'C', kind: 'PERCENT', basisPoints: 20_000 })],
  ['a coupon without a code', 'INVALID_COUPON', (i) => (i.coupon = { code: '', kind: 'AMOUNT', amountMinor: 1 })],
  ['a negative shipping fee', 'INVALID_SHIPPING', (i) => (i.shipping = { flatFeeMinor: -1 })],
  ['a fractional free-shipping line', 'INVALID_SHIPPING', (i) => (i.shipping = { flatFeeMinor: 1, freeFromMinor: 0.5 })],
];

describe('priceOrder input validation', () => {
  it('prices the valid baseline', () => {
    expect(priceOrder(valid()).payableMinor).toBe(100);
  });

  it.each(cases)('refuses %s with %s', (_, code, spoil) => {
    const input = valid();
    spoil(input);
    const thrown = (() => {
      try {
        priceOrder(input);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(PricingError);
    expect(thrown).toMatchObject({ name: 'PricingError', code });
  });

  it('accepts a free item and a line amount of exactly 2^53 − 1', () => {
    const input = valid();
    input.lines = [
      { lineId: 'L1', skuId: 'A', unitPriceMinor: 0, quantity: 3 },
      { lineId: 'L2', skuId: 'B', unitPriceMinor: MAX, quantity: 1 },
    ];
    expect(priceOrder(input).payableMinor).toBe(MAX);
  });
});
