import type { PricingInput } from '@mallard/pricing';
import { describe, expect, it } from 'vitest';
import { oneSubOrder, purchasedOrder } from '../testing/purchased-orders.js';
import { asEarlierRefund, calculateRefund, type EarlierRefund, type PurchasedOrder, type RefundCalculation } from './refund-calculation.js';
import { RefundError } from './refund-error.js';

const cart = (overrides: Partial<PricingInput>): PricingInput => ({
  currency: 'CNY',
  lines: [],
  itemPromotions: [],
  orderPromotions: [],
  shipping: { flatFeeMinor: 0 },
  ...overrides,
});

/**
 * "Spend 100 save 20" on A 50.00, B 30.00, C 25.00: the 20.00 is shared 9.52 / 5.72 / 4.76 (the
 * tail cent to B's larger remainder), so the goods pay 40.48 / 24.28 / 20.24 = 85.00; under the
 * 99.00 free-shipping line, the 10.00 fee is shared 4.76 / 2.86 / 2.38 by merchandise.
 */
const spendHundredSaveTwenty = (): PurchasedOrder =>
  purchasedOrder(
    cart({
      lines: [
        { lineId: 'A', skuId: 'sku-a', unitPriceMinor: 5000, quantity: 1 },
        { lineId: 'B', skuId: 'sku-b', unitPriceMinor: 3000, quantity: 1 },
        { lineId: 'C', skuId: 'sku-c', unitPriceMinor: 2500, quantity: 1 },
      ],
      orderPromotions: [{ id: 'spend-100-save-20', kind: 'THRESHOLD', thresholdMinor: 10_000, discountMinor: 2000 }],
      shipping: { flatFeeMinor: 1000, freeFromMinor: 9900 },
    }),
    [{ subOrderId: 'S1', lines: ['A', 'B', 'C'].map((lineId) => ({ lineId, quantity: 1 })) }],
  );

const units = (lineId: string, quantity = 1, subOrderId = 'S1') => ({ subOrderId, lineId, quantity });
const figures = (refund: RefundCalculation) =>
  refund.lines.map(({ lineId, paidMinor, clawbackMinor, releasedMinor, shippingMinor, refundedMinor }) => ({
    lineId,
    paidMinor,
    clawbackMinor,
    releasedMinor,
    shippingMinor,
    refundedMinor,
  }));

describe('calculateRefund', () => {
  it('prices the example order as its comment says', () => {
    const order = spendHundredSaveTwenty();
    expect(order.lines.map((line) => [line.orderDiscountShareMinor, line.shippingFeeShareMinor, line.paidAmountMinor])).toEqual([
      [952, 476, 4524],
      [572, 286, 2714],
      [476, 238, 2262],
    ]);
  });

  it('claws back the threshold discount the kept goods no longer reach, to the cent', () => {
    const refund = calculateRefund(spendHundredSaveTwenty(), [], { lines: [units('C')], sellerAtFault: false });
    // A and B alone come to 80.00, under 100: they would cost 80.00 but paid 40.48 + 24.28 = 64.76.
    expect(refund.kept).toEqual({ paidMinor: 6476, repricedMinor: 8000, lostBenefitMinor: 1524, withheldMinor: 1524 });
    expect(figures(refund)).toEqual([
      { lineId: 'C', paidMinor: 2024, clawbackMinor: 1524, releasedMinor: 0, shippingMinor: 0, refundedMinor: 500 },
    ]);
    expect(refund.refundedMinor).toBe(500);
    expect(refund.shippingFees).toEqual([]);
  });

  it('refunds a full return exactly what was paid, shipping included, with nothing clawed back', () => {
    const order = spendHundredSaveTwenty();
    const refund = calculateRefund(order, [], { lines: [units('A'), units('B'), units('C')], sellerAtFault: false });
    expect(refund.lines.map((line) => line.refundedMinor)).toEqual(order.lines.map((line) => line.paidAmountMinor));
    expect(refund).toMatchObject({ paidMinor: 8500, clawbackMinor: 0, releasedMinor: 0, shippingMinor: 1000, refundedMinor: 9500 });
    expect(refund.shippingFees).toEqual([{ subOrderId: 'S1', amountMinor: 1000 }]);
    expect(refund.kept).toEqual({ paidMinor: 0, repricedMinor: 0, lostBenefitMinor: 0, withheldMinor: 0 });
  });

  it('releases what an earlier return withheld as the kept goods shrink, and ends at exactly what was paid', () => {
    const order = spendHundredSaveTwenty();
    const first = calculateRefund(order, [], { lines: [units('C')], sellerAtFault: false });
    const second = calculateRefund(order, [asEarlierRefund(first)], { lines: [units('B')], sellerAtFault: false });
    // A alone costs 50.00 and paid 40.48: 9.52 stays withheld, 15.24 − 9.52 = 5.72 comes back.
    expect(second.kept).toEqual({ paidMinor: 4048, repricedMinor: 5000, lostBenefitMinor: 952, withheldMinor: 952 });
    expect(figures(second)).toEqual([
      { lineId: 'B', paidMinor: 2428, clawbackMinor: 0, releasedMinor: 572, shippingMinor: 0, refundedMinor: 3000 },
    ]);
    const third = calculateRefund(order, [first, second].map(asEarlierRefund), { lines: [units('A')], sellerAtFault: false });
    expect(figures(third)).toEqual([
      { lineId: 'A', paidMinor: 4048, clawbackMinor: 0, releasedMinor: 952, shippingMinor: 1000, refundedMinor: 6000 },
    ]);
    expect(first.refundedMinor + second.refundedMinor + third.refundedMinor).toBe(9500);
  });

  it("refunds the returned units' share of the shipping fee when the seller is at fault, and keeps it otherwise", () => {
    // No promotion; 8.00 shipping over X 2 × 30.00 and Y 15.00: X carries 6.40, 3.20 per unit.
    const bought = cart({
      lines: [
        { lineId: 'X', skuId: 'sku-x', unitPriceMinor: 3000, quantity: 2 },
        { lineId: 'Y', skuId: 'sku-y', unitPriceMinor: 1500, quantity: 1 },
      ],
      shipping: { flatFeeMinor: 800 },
    });
    const order = purchasedOrder(bought, oneSubOrder(bought));
    const notAtFault = calculateRefund(order, [], { lines: [units('X')], sellerAtFault: false });
    expect(figures(notAtFault)).toEqual([
      { lineId: 'X', paidMinor: 3000, clawbackMinor: 0, releasedMinor: 0, shippingMinor: 0, refundedMinor: 3000 },
    ]);
    const atFault = calculateRefund(order, [], { lines: [units('X')], sellerAtFault: true });
    expect(figures(atFault)).toEqual([
      { lineId: 'X', paidMinor: 3000, clawbackMinor: 0, releasedMinor: 0, shippingMinor: 320, refundedMinor: 3320 },
    ]);
    expect(atFault.shippingFees).toEqual([{ subOrderId: 'S1', amountMinor: 320 }]);
    // The rest of the order back, not at fault: what is left of the fee goes with it.
    const rest = calculateRefund(order, [asEarlierRefund(atFault)], { lines: [units('X'), units('Y')], sellerAtFault: false });
    expect(rest).toMatchObject({ paidMinor: 4500, shippingMinor: 480, refundedMinor: 4980 });
    expect(atFault.refundedMinor + rest.refundedMinor).toBe(8300);
  });

  it('refunds a sub-order’s fee when its last units come back, and none for a sub-order that carried none', () => {
    const lines = [
      { lineId: 'A', skuId: 'sku-a', unitPriceMinor: 2000, quantity: 1 },
      { lineId: 'B', skuId: 'sku-b', unitPriceMinor: 1000, quantity: 3 },
    ];
    const plan = [
      { subOrderId: 'S1', lines: [{ lineId: 'A', quantity: 1 }] },
      { subOrderId: 'S2', lines: [{ lineId: 'B', quantity: 3 }] },
    ];
    const shipping = { flatFeeMinor: 600 };
    const first = purchasedOrder(cart({ lines, shipping }), plan, 'FIRST_SUB_ORDER');
    expect(first.subOrders.map((subOrder) => subOrder.shippingFeeMinor)).toEqual([600, 0]);
    expect(calculateRefund(first, [], { lines: [units('B', 3, 'S2')], sellerAtFault: false }).shippingMinor).toBe(0);
    expect(calculateRefund(first, [], { lines: [units('A', 1, 'S1')], sellerAtFault: false }).shippingMinor).toBe(600);

    const spread = purchasedOrder(cart({ lines, shipping }), plan, 'SPREAD_EVENLY');
    expect(calculateRefund(spread, [], { lines: [units('B', 2, 'S2')], sellerAtFault: false }).shippingMinor).toBe(0);
    const lastOfS2 = calculateRefund(
      spread,
      [{ lines: [{ ...units('B', 2, 'S2'), paidMinor: 2000 }], shippingFees: [], clawbackMinor: 0, releasedMinor: 0 }],
      {
        lines: [units('B', 1, 'S2')],
        sellerAtFault: false,
      },
    );
    expect(lastOfS2.shippingFees).toEqual([{ subOrderId: 'S2', amountMinor: 300 }]);
  });

  it('refunds every fee still held when the whole order has come back, even one of a sub-order this request does not touch', () => {
    const lines = [
      { lineId: 'A', skuId: 'sku-a', unitPriceMinor: 2000, quantity: 1 },
      { lineId: 'B', skuId: 'sku-b', unitPriceMinor: 1000, quantity: 1 },
    ];
    const order = purchasedOrder(cart({ lines, shipping: { flatFeeMinor: 600 } }), [
      { subOrderId: 'S1', lines: [{ lineId: 'A', quantity: 1 }] },
      { subOrderId: 'S2', lines: [{ lineId: 'B', quantity: 1 }] },
    ]);
    // Staff gave back S1's goods but not its fee; returning B brings the whole order back.
    const earlier: EarlierRefund[] = [
      { lines: [{ ...units('A', 1, 'S1'), paidMinor: 2000 }], shippingFees: [], clawbackMinor: 0, releasedMinor: 0 },
    ];
    const refund = calculateRefund(order, earlier, { lines: [units('B', 1, 'S2')], sellerAtFault: false });
    expect(refund.shippingFees).toEqual([{ subOrderId: 'S1', amountMinor: 600 }]);
    expect(refund.refundedMinor).toBe(1600);
  });

  it('withholds a coupon the kept goods no longer reach the minimum spend of', () => {
    const order = purchasedOrder(
      cart({
        lines: [
          { lineId: 'A', skuId: 'sku-a', unitPriceMinor: 3000, quantity: 1 },
          { lineId: 'B', skuId: 'sku-b', unitPriceMinor: 3000, quantity: 1 },
        ],
        coupon: { code: 'FIVE-OFF-50', kind: 'AMOUNT', amountMinor: 500, minSpendMinor: 5000 },
      }),
      [{ subOrderId: 'S1', lines: ['A', 'B'].map((lineId) => ({ lineId, quantity: 1 })) }],
    );
    const refund = calculateRefund(order, [], { lines: [units('B')], sellerAtFault: false });
    expect(figures(refund)).toEqual([
      { lineId: 'B', paidMinor: 2750, clawbackMinor: 250, releasedMinor: 0, shippingMinor: 0, refundedMinor: 2500 },
    ]);
  });

  it('claws back from part of a line: the units of it kept lose the threshold too', () => {
    // 3 × 40.00 with "spend 100 save 10": the goods pay 110.00, spread 36.67 / 36.67 / 36.66.
    const order = purchasedOrder(
      cart({
        lines: [{ lineId: 'L', skuId: 'sku-l', unitPriceMinor: 4000, quantity: 3 }],
        orderPromotions: [{ id: 'T', kind: 'THRESHOLD', thresholdMinor: 10_000, discountMinor: 1000 }],
      }),
      [{ subOrderId: 'S1', lines: [{ lineId: 'L', quantity: 3 }] }],
    );
    const refund = calculateRefund(order, [], { lines: [units('L')], sellerAtFault: false });
    // The first unit comes back; the two kept paid 73.33 and, under 100.00, now cost 80.00.
    expect(figures(refund)).toEqual([
      { lineId: 'L', paidMinor: 3667, clawbackMinor: 667, releasedMinor: 0, shippingMinor: 0, refundedMinor: 3000 },
    ]);
  });

  describe('refuses', () => {
    const order = spendHundredSaveTwenty();
    const refusal = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        if (error instanceof RefundError) return error.code;
        throw error;
      }
      return undefined;
    };

    it('units already given back', () => {
      const first = calculateRefund(order, [], { lines: [units('C')], sellerAtFault: false });
      expect(refusal(() => calculateRefund(order, [asEarlierRefund(first)], { lines: [units('C')], sellerAtFault: false }))).toBe(
        'UNITS_ALREADY_REFUNDED',
      );
      expect(refusal(() => calculateRefund(order, [], { lines: [units('A', 2)], sellerAtFault: false }))).toBe('UNITS_ALREADY_REFUNDED');
    });

    it('a request naming nothing, a piece twice, or a piece the order does not have', () => {
      expect(refusal(() => calculateRefund(order, [], { lines: [], sellerAtFault: false }))).toBe('INVALID_REQUEST');
      expect(refusal(() => calculateRefund(order, [], { lines: [units('A'), units('A')], sellerAtFault: false }))).toBe('INVALID_REQUEST');
      expect(refusal(() => calculateRefund(order, [], { lines: [units('A', 1, 'S9')], sellerAtFault: false }))).toBe('INVALID_REQUEST');
      expect(refusal(() => calculateRefund(order, [], { lines: [units('A', 0)], sellerAtFault: false }))).toBe('INVALID_REQUEST');
    });

    it('an order whose figures do not add up', () => {
      const broken = structuredClone(order);
      broken.subOrders[0].pieces[0].merchandiseMinor += 1;
      expect(refusal(() => calculateRefund(broken, [], { lines: [units('A')], sellerAtFault: false }))).toBe('INVALID_ORDER');
      const badRule = { ...order, orderPromotions: [{ id: 'T', kind: 'THRESHOLD' as const, thresholdMinor: -1, discountMinor: 5 }] };
      expect(refusal(() => calculateRefund(badRule, [], { lines: [units('A')], sellerAtFault: false }))).toBe('INVALID_ORDER');
    });

    it('earlier refunds that gave back more than the order had', () => {
      const tooMuch: EarlierRefund = { lines: [{ ...units('C'), paidMinor: 2025 }], shippingFees: [], clawbackMinor: 0, releasedMinor: 0 };
      expect(refusal(() => calculateRefund(order, [tooMuch], { lines: [units('A')], sellerAtFault: false }))).toBe(
        'INVALID_EARLIER_REFUNDS',
      );
      const feeTwice: EarlierRefund = {
        lines: [],
        shippingFees: [{ subOrderId: 'S1', amountMinor: 1001 }],
        clawbackMinor: 0,
        releasedMinor: 0,
      };
      expect(refusal(() => calculateRefund(order, [feeTwice], { lines: [units('A')], sellerAtFault: false }))).toBe(
        'INVALID_EARLIER_REFUNDS',
      );
    });
  });
});
