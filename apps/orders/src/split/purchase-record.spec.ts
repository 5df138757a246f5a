import { randomUUID } from 'node:crypto';
import { eventRegistry, type OrderPurchaseRecordedV1, orderPurchaseRecorded } from '@mallard/contracts';
import { type Coupon, type OrderPromotion, priceOrder, type ShippingRule } from '@mallard/pricing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PurchaseRecordInput, purchaseRecord } from './purchase-record.js';
import { splitOrder } from './split-order.js';

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * The checks after-sales makes of an order before refunding from it (indexOrder in
 * apps/after-sales/src/refunds/refund-inputs.ts), restated here: apps do not import each other.
 */
function expectAddsUp(record: OrderPurchaseRecordedV1): void {
  for (const line of record.lines) {
    const merchandise = line.unitPriceMinor * line.quantity - line.itemDiscountMinor - line.orderDiscountShareMinor;
    expect(merchandise).toBeGreaterThanOrEqual(0);
    expect(line.paidAmountMinor).toBe(merchandise + line.shippingFeeShareMinor);
    const pieces = record.subOrders.flatMap((subOrder) => subOrder.pieces).filter((piece) => piece.lineId === line.lineId);
    expect(sum(pieces.map((piece) => piece.quantity))).toBe(line.quantity);
    expect(sum(pieces.map((piece) => piece.merchandiseMinor))).toBe(merchandise);
    expect(sum(pieces.map((piece) => piece.shippingFeeShareMinor))).toBe(line.shippingFeeShareMinor);
  }
  for (const subOrder of record.subOrders) {
    expect(sum(subOrder.pieces.map((piece) => piece.shippingFeeShareMinor))).toBe(subOrder.shippingFeeMinor);
    expect(new Set(subOrder.pieces.map((piece) => piece.lineId)).size).toBe(subOrder.pieces.length);
  }
  expect(sum(record.subOrders.map((subOrder) => subOrder.shippingFeeMinor))).toBe(record.shippingFeeMinor);
}

interface Cart {
  lines: { unitPriceMinor: number; quantity: number; warehouses: number; dropShip: boolean }[];
  orderPromotions: OrderPromotion[];
  coupon?: Coupon;
  shipping: ShippingRule;
  mode: 'FIRST_SUB_ORDER' | 'SPREAD_EVENLY';
}

/** Prices the cart as placement does, serves each line from its warehouses, splits it and records it. */
function record(cart: Cart): OrderPurchaseRecordedV1 {
  const ids = cart.lines.map(() => randomUUID());
  const priced = priceOrder({
    currency: 'CNY',
    lines: cart.lines.map((line, index) => ({ lineId: ids[index], skuId: `SKU-${index}`, ...line })),
    itemPromotions: [],
    orderPromotions: cart.orderPromotions,
    coupon: cart.coupon,
    shipping: cart.shipping,
  });
  const lines = priced.lines.map((line, index) => {
    const { quantity, warehouses, dropShip } = cart.lines[index];
    const served = Math.min(warehouses, quantity);
    const allocations = Array.from({ length: served }, (_, w) => ({
      warehouseId: `WH-${w}`,
      quantity: Math.floor(quantity / served) + (w < quantity % served ? 1 : 0),
    }));
    return {
      id: line.lineId,
      lineId: line.lineId,
      skuId: line.skuId,
      skuName: `Item ${index}`,
      merchantId: dropShip ? 'potter' : 'mall',
      fulfilmentType: dropShip ? ('DROP_SHIP' as const) : ('SELF_OPERATED' as const),
      unitPrice: line.unitPriceMinor,
      quantity: line.quantity,
      itemDiscount: line.itemDiscountMinor,
      orderDiscountShare: line.orderDiscountShareMinor,
      shippingFeeShare: line.shippingFeeShareMinor,
      paidAmount: line.paidAmountMinor,
      allocations,
    };
  });
  const plan = splitOrder(lines, priced.shippingFeeMinor, cart.mode);
  const input: PurchaseRecordInput = {
    orderId: randomUUID(),
    buyerId: 'buyer',
    currency: 'CNY',
    paidAt: new Date('2026-01-02T03:04:05.000Z'),
    lines,
    plan: { lines: plan.lines, subOrders: plan.subOrders.map((subOrder) => ({ ...subOrder, id: randomUUID() })) },
    terms: { orderPromotions: cart.orderPromotions, ...(cart.coupon ? { coupon: cart.coupon } : {}), shipping: cart.shipping },
  };
  const recorded = purchaseRecord(input);
  expect(sum(recorded.lines.map((line) => line.paidAmountMinor))).toBe(priced.payableMinor);
  return recorded;
}

const threshold: OrderPromotion = { id: 'spend-100-save-10', kind: 'THRESHOLD', thresholdMinor: 10_000, discountMinor: 1_000 };
const coupon: Coupon = { code: 'WELCOME', kind: 'AMOUNT', amountMinor: 500, minSpendMinor: 5_000 };

describe('purchaseRecord', () => {
  it('records a line cut over two warehouses and a drop-ship line, with the rules the order was priced with', () => {
    const recorded = record({
      lines: [
        { unitPriceMinor: 2_500, quantity: 3, warehouses: 2, dropShip: false },
        { unitPriceMinor: 4_001, quantity: 1, warehouses: 1, dropShip: true },
      ],
      orderPromotions: [threshold],
      coupon,
      shipping: { flatFeeMinor: 800, freeFromMinor: 20_000 },
      mode: 'FIRST_SUB_ORDER',
    });
    expectAddsUp(recorded);
    // 3×2500 + 4001 = 11501: spend 100 save 10, then the coupon's 5, shipping 8 below 200.
    expect(sum(recorded.lines.map((line) => line.orderDiscountShareMinor))).toBe(1_500);
    expect(recorded.subOrders.map((subOrder) => [subOrder.warehouseId, subOrder.shippingFeeMinor])).toEqual([
      ['WH-0', 800],
      ['WH-1', 0],
      ['WH-0', 0],
    ]);
    // The drop-ship line's share moved to the first sub-order: it paid its goods only.
    expect(recorded.lines[1]).toMatchObject({ skuName: 'Item 1', merchantId: 'potter', shippingFeeShareMinor: 0 });
    expect(recorded.terms).toEqual({ orderPromotions: [threshold], coupon, shipping: { flatFeeMinor: 800, freeFromMinor: 20_000 } });
    expect(() =>
      eventRegistry.parse(orderPurchaseRecorded.type, orderPurchaseRecorded.version, JSON.parse(JSON.stringify(recorded))),
    ).not.toThrow();
  });

  it('adds up as after-sales checks it, for any cart, promotions, coupon, shipping rule and split', () => {
    const cart: fc.Arbitrary<Cart> = fc.record({
      lines: fc.array(
        fc.record({
          unitPriceMinor: fc.integer({ min: 0, max: 50_000 }),
          quantity: fc.integer({ min: 1, max: 7 }),
          warehouses: fc.integer({ min: 1, max: 3 }),
          dropShip: fc.boolean(),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      orderPromotions: fc.subarray([
        threshold,
        { id: 'ten-percent', kind: 'PERCENTAGE', basisPoints: 1_000, capMinor: 3_000 } satisfies OrderPromotion,
      ]),
      coupon: fc.option(
        fc.constantFrom<Coupon>(
          { code: 'FIVE', kind: 'AMOUNT', amountMinor: 500 },
          { code: 'PCT', kind: 'PERCENT', basisPoints: 1_500, capMinor: 2_000 },
        ),
        { nil: undefined },
      ),
      shipping: fc.record({
        flatFeeMinor: fc.integer({ min: 0, max: 2_000 }),
        freeFromMinor: fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: undefined }),
      }),
      mode: fc.constantFrom('FIRST_SUB_ORDER' as const, 'SPREAD_EVENLY' as const),
    });
    fc.assert(
      fc.property(cart, (generated) => {
        const recorded = record(generated);
        expectAddsUp(recorded);
        eventRegistry.parse(orderPurchaseRecorded.type, orderPurchaseRecorded.version, JSON.parse(JSON.stringify(recorded)));
      }),
      { numRuns: 300 },
    );
  });
});
