import { splitEvenly } from '@mallard/money';
import type { Coupon, ItemPromotion, OrderPromotion, PricingInput, SubOrderShippingMode } from '@mallard/pricing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { purchasedOrder, type SubOrderPlan } from '../testing/purchased-orders.js';
import {
  asEarlierRefund,
  calculateRefund,
  type EarlierRefund,
  type PieceUnits,
  type PurchasedOrder,
  type RefundCalculation,
} from './refund-calculation.js';

const SKUS = ['A', 'B', 'C', 'D'];
const sku = fc.constantFrom(...SKUS);
const bp = fc.integer({ min: 0, max: 10_000 });
const kind = <K extends string>(value: K) => fc.constant(value);

/** Carts whose thresholds, minimum spends and free-shipping lines often fall inside the cart's range. */
const carts = (maxPrice: number): fc.Arbitrary<PricingInput> => {
  const amount = fc.integer({ min: 0, max: maxPrice * 12 });
  const itemPromotion: fc.Arbitrary<ItemPromotion> = fc.oneof(
    fc.record({
      id: fc.constant('I1'),
      kind: kind('ITEM_AMOUNT_OFF'),
      skuId: sku,
      amountOffPerUnitMinor: fc.integer({ min: 0, max: maxPrice }),
    }),
    fc.record({ id: fc.constant('I2'), kind: kind('ITEM_PERCENT_OFF'), skuId: sku, basisPoints: bp }),
  );
  const orderPromotion: fc.Arbitrary<OrderPromotion> = fc.oneof(
    fc.record({ id: fc.constant('T'), kind: kind('THRESHOLD'), thresholdMinor: amount, discountMinor: amount }),
    fc.record(
      { id: fc.constant('P'), kind: kind('PERCENTAGE'), basisPoints: bp, capMinor: amount, minSpendMinor: amount },
      { requiredKeys: ['id', 'kind', 'basisPoints'] },
    ),
  );
  const coupon: fc.Arbitrary<Coupon> = fc.oneof(
    fc.record(
      { code: fc.constant('AMT'), kind: kind('AMOUNT'), amountMinor: amount, minSpendMinor: amount, capMinor: amount },
      { requiredKeys: ['code', 'kind', 'amountMinor'] },
    ),
    fc.record(
      { code: fc.constant('PCT'), kind: kind('PERCENT'), basisPoints: bp, minSpendMinor: amount, capMinor: amount },
      { requiredKeys: ['code', 'kind', 'basisPoints'] },
    ),
  );
  const line = fc.record({ skuId: sku, unitPriceMinor: fc.integer({ min: 0, max: maxPrice }), quantity: fc.integer({ min: 1, max: 5 }) });
  return fc.record(
    {
      currency: fc.constant('CNY'),
      lines: fc.array(line, { minLength: 1, maxLength: 6 }).map((drawn) => drawn.map((l, i) => ({ lineId: `L${i}`, ...l }))),
      itemPromotions: fc.array(itemPromotion, { maxLength: 3 }),
      orderPromotions: fc.array(orderPromotion, { maxLength: 3 }),
      coupon,
      shipping: fc.record(
        { flatFeeMinor: fc.integer({ min: 0, max: maxPrice * 2 }), freeFromMinor: amount },
        { requiredKeys: ['flatFeeMinor'] },
      ),
    },
    { requiredKeys: ['currency', 'lines', 'itemPromotions', 'orderPromotions', 'shipping'] },
  );
};

/** A cart, priced and split: each unit goes to one of up to three warehouses. */
const orders: fc.Arbitrary<PurchasedOrder> = fc
  .tuple(
    fc.oneof(carts(100_000), carts(100), carts(3)),
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 30, maxLength: 30 }),
    fc.constantFrom<SubOrderShippingMode>('FIRST_SUB_ORDER', 'SPREAD_EVENLY'),
  )
  .map(([cart, warehouses, mode]) => {
    const plan: SubOrderPlan[] = [];
    let unit = 0;
    for (const line of cart.lines) {
      for (let i = 0; i < line.quantity; i += 1) {
        const subOrderId = `S${warehouses[unit++ % warehouses.length]}`;
        const subOrder = plan.find((s) => s.subOrderId === subOrderId) ?? plan[plan.push({ subOrderId, lines: [] }) - 1];
        const held = subOrder.lines.find((l) => l.lineId === line.lineId);
        if (held) held.quantity += 1;
        else subOrder.lines.push({ lineId: line.lineId, quantity: 1 });
      }
    }
    return purchasedOrder(cart, plan, mode);
  });

/**
 * One step of a refund history; `picks` choose pieces and quantities among what is left then. Another
 * refund may round its units' cents the other way (a staff refund need not spread as orders does)
 * and may keep the fee of the sub-order it completes.
 */
interface Step {
  afterSales: boolean;
  sellerAtFault: boolean;
  picks: number[];
  otherSpreadsTailLast: boolean;
  otherGivesFee: boolean;
}
const steps = fc.array(
  fc.record({
    afterSales: fc.boolean(),
    sellerAtFault: fc.boolean(),
    picks: fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 6 }),
    otherSpreadsTailLast: fc.boolean(),
    otherGivesFee: fc.boolean(),
  }),
  { maxLength: 8 },
);

const sum = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
const key = (subOrderId: string, lineId: string) => `${subOrderId}/${lineId}`;
const payable = (order: PurchasedOrder) => sum(order.lines.map((line) => line.paidAmountMinor));

/** A refund history played against one order: after-sales requests and orders' compensations. */
class History {
  readonly earlier: EarlierRefund[] = [];
  readonly afterSales: { request: PieceUnits[]; sellerAtFault: boolean; refund: RefundCalculation; completed: Set<string> }[] = [];
  refundedMinor = 0;
  private readonly back = new Map<string, { units: number; paid: number }>();
  private readonly feesGiven = new Map<string, number>();

  constructor(readonly order: PurchasedOrder) {}

  left(): (PieceUnits & { merchandiseMinor: number; total: number })[] {
    return this.order.subOrders
      .flatMap((subOrder) =>
        subOrder.pieces.map((piece) => ({
          subOrderId: subOrder.subOrderId,
          lineId: piece.lineId,
          quantity: piece.quantity - (this.back.get(key(subOrder.subOrderId, piece.lineId))?.units ?? 0),
          merchandiseMinor: piece.merchandiseMinor,
          total: piece.quantity,
        })),
      )
      .filter((piece) => piece.quantity > 0);
  }

  /** Some of what is left, chosen by `picks`; at least one unit when anything is left. */
  choose(picks: readonly number[]): PieceUnits[] {
    const left = this.left();
    const chosen = new Map<string, PieceUnits>();
    for (const pick of picks) {
      if (left.length === 0) break;
      const piece = left[pick % left.length];
      chosen.set(key(piece.subOrderId, piece.lineId), {
        subOrderId: piece.subOrderId,
        lineId: piece.lineId,
        quantity: 1 + (pick % piece.quantity),
      });
    }
    return [...chosen.values()];
  }

  requestAfterSales(lines: PieceUnits[], sellerAtFault: boolean): RefundCalculation {
    const refund = calculateRefund(this.order, this.earlier, { lines, sellerAtFault });
    this.record(asEarlierRefund(refund), refund.refundedMinor);
    const completed = new Set(this.order.subOrders.filter((s) => this.subOrderBack(s.subOrderId)).map((s) => s.subOrderId));
    this.afterSales.push({ request: lines, sellerAtFault, refund, completed });
    return refund;
  }

  /**
   * Another refund: like orders' compensation of a stopped sub-order or a refused parcel, the units'
   * merchandise spread over the piece's units (leftover cents on the first units, or on the last)
   * and what is left of the piece with its last units; the sub-order's fee when its last units go,
   * if `givesFee`. It never takes the order's very last units, so that the history ends with an
   * after-sales request.
   */
  compensate(lines: PieceUnits[], { tailLast, givesFee }: { tailLast: boolean; givesFee: boolean }): void {
    const left = sum(this.left().map((piece) => piece.quantity));
    if (left - sum(lines.map((line) => line.quantity)) === 0) return;
    const given = lines.map((line) => {
      const piece = this.left().find((p) => p.subOrderId === line.subOrderId && p.lineId === line.lineId)!;
      const back = this.back.get(key(line.subOrderId, line.lineId)) ?? { units: 0, paid: 0 };
      const perUnit = splitEvenly(piece.merchandiseMinor, piece.total);
      if (tailLast) perUnit.reverse();
      // Rounding the other way than the refunds before it could claim cents they already gave back
      // (2 of 4 units worth 2 refunded as [1, 1], then a third at 1 from the tail): a real refund
      // never gives a piece more than it paid, so neither does this one.
      const spread = Math.min(sum(perUnit.slice(back.units, back.units + line.quantity)), piece.merchandiseMinor - back.paid);
      const paidMinor = back.units + line.quantity === piece.total ? piece.merchandiseMinor - back.paid : spread;
      return { ...line, paidMinor };
    });
    const refund: EarlierRefund = { lines: given, shippingFees: [], clawbackMinor: 0, releasedMinor: 0 };
    this.record(refund, sum(given.map((line) => line.paidMinor)));
    for (const subOrder of this.order.subOrders) {
      const fee = subOrder.shippingFeeMinor - (this.feesGiven.get(subOrder.subOrderId) ?? 0);
      if (givesFee && fee > 0 && given.some((line) => line.subOrderId === subOrder.subOrderId) && this.subOrderBack(subOrder.subOrderId)) {
        refund.shippingFees.push({ subOrderId: subOrder.subOrderId, amountMinor: fee });
        this.feesGiven.set(subOrder.subOrderId, subOrder.shippingFeeMinor);
        this.refundedMinor += fee;
      }
    }
  }

  play(step: Step): void {
    const lines = this.choose(step.picks);
    if (lines.length === 0) return;
    if (step.afterSales) this.requestAfterSales(lines, step.sellerAtFault);
    else this.compensate(lines, { tailLast: step.otherSpreadsTailLast, givesFee: step.otherGivesFee });
  }

  private record(refund: EarlierRefund, refundedMinor: number): void {
    this.earlier.push(refund);
    this.refundedMinor += refundedMinor;
    for (const line of refund.lines) {
      const back = this.back.get(key(line.subOrderId, line.lineId)) ?? { units: 0, paid: 0 };
      this.back.set(key(line.subOrderId, line.lineId), { units: back.units + line.quantity, paid: back.paid + line.paidMinor });
    }
    for (const fee of refund.shippingFees) this.feesGiven.set(fee.subOrderId, (this.feesGiven.get(fee.subOrderId) ?? 0) + fee.amountMinor);
  }

  private subOrderBack(subOrderId: string): boolean {
    return !this.left().some((piece) => piece.subOrderId === subOrderId);
  }
}

const histories = fc.tuple(orders, steps).map(([order, drawn]) => {
  const history = new History(order);
  for (const step of drawn) history.play(step);
  return history;
});

const property = (check: (history: History) => void) => () =>
  fc.assert(
    fc.property(histories, (history) => {
      check(history);
    }),
    { numRuns: 300 },
  );

describe('calculateRefund properties', () => {
  it(
    'never refunds, over any sequence of requests and other refunds, more than the order paid',
    property((history) => {
      expect(history.refundedMinor).toBeLessThanOrEqual(payable(history.order));
      for (const { refund } of history.afterSales) expect(refund.refundedMinor).toBeGreaterThanOrEqual(0);
    }),
  );

  it(
    'refunds exactly what the order paid, shipping included, once everything has come back',
    property((history) => {
      // Other refunds never take the last units, so an after-sales request always ends the history.
      const left = allLeft(history);
      if (left.length > 0) history.requestAfterSales(left, false);
      expect(history.left()).toEqual([]);
      expect(history.refundedMinor).toBe(payable(history.order));
      expect(history.afterSales.at(-1)?.refund.kept.withheldMinor).toBe(0);
    }),
  );

  it(
    'never claws back a negative amount, nor more than the paid amount of the line it reduces',
    property((history) => {
      for (const { refund } of history.afterSales) {
        for (const line of refund.lines) {
          expect(line.clawbackMinor).toBeGreaterThanOrEqual(0);
          expect(line.clawbackMinor).toBeLessThanOrEqual(line.paidMinor);
          expect(line.releasedMinor).toBeGreaterThanOrEqual(0);
          expect(line.refundedMinor).toBe(line.paidMinor - line.clawbackMinor + line.releasedMinor + line.shippingMinor);
        }
        expect(refund.clawbackMinor).toBeLessThanOrEqual(refund.paidMinor);
      }
    }),
  );

  it(
    'keeps every figure an integer in minor units, and the totals the sums of the lines',
    property((history) => {
      for (const { refund } of history.afterSales) {
        const { currency, lines, shippingFees, kept, ...totals } = refund;
        const figures = [
          ...Object.values(totals),
          ...Object.values(kept),
          ...shippingFees.map((fee) => fee.amountMinor),
          ...lines.flatMap(({ subOrderId, lineId, skuId, ...amounts }) => Object.values(amounts)),
        ];
        for (const figure of figures) expect(Number.isSafeInteger(figure) && figure >= 0).toBe(true);
        for (const field of ['paidMinor', 'clawbackMinor', 'releasedMinor', 'shippingMinor', 'refundedMinor'] as const) {
          expect(sum(lines.map((line) => line[field]))).toBe(refund[field]);
        }
        expect(sum(shippingFees.map((fee) => fee.amountMinor))).toBe(refund.shippingMinor);
      }
    }),
  );

  it(
    'withholds no more than the benefit the kept goods lost, and nothing without order promotions or a coupon',
    property((history) => {
      const { order } = history;
      const rules = order.orderPromotions.length > 0 || order.coupon !== undefined;
      for (const { refund } of history.afterSales) {
        expect(refund.kept.withheldMinor).toBeLessThanOrEqual(refund.kept.lostBenefitMinor);
        if (!rules) expect(refund.kept.withheldMinor + refund.clawbackMinor + refund.releasedMinor).toBe(0);
      }
    }),
  );

  it(
    'refunds shipping only with the last units of a sub-order, or of the order, or when the seller is at fault',
    property((history) => {
      for (const { sellerAtFault, refund, completed } of history.afterSales) {
        if (sellerAtFault) continue;
        for (const fee of refund.shippingFees) expect(completed.has(fee.subOrderId)).toBe(true);
      }
    }),
  );
});

/** Every unit no refund has given back yet. */
function allLeft(history: History): PieceUnits[] {
  return history.left().map(({ subOrderId, lineId, quantity }) => ({ subOrderId, lineId, quantity }));
}
