import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SplittableLine, splitOrder } from './split-order.js';

const line = (overrides: Partial<SplittableLine>): SplittableLine => ({
  lineId: 'l1',
  skuId: 'A',
  merchantId: 'mall',
  fulfilmentType: 'SELF_OPERATED',
  quantity: 1,
  paidAmount: 1000,
  shippingFeeShare: 0,
  allocations: [{ warehouseId: 'W1', quantity: 1 }],
  ...overrides,
});

describe('splitOrder', () => {
  it('makes one sub-order per warehouse, merchant and fulfilment type', () => {
    const { subOrders } = splitOrder(
      [
        line({ lineId: 'l1', skuId: 'A', paidAmount: 1500, shippingFeeShare: 500 }),
        line({ lineId: 'l2', skuId: 'B', paidAmount: 1250, shippingFeeShare: 250, allocations: [{ warehouseId: 'W1', quantity: 1 }] }),
        line({
          lineId: 'l3',
          skuId: 'C',
          merchantId: 'm2',
          fulfilmentType: 'DROP_SHIP',
          paidAmount: 1250,
          shippingFeeShare: 250,
          allocations: [{ warehouseId: 'M2', quantity: 1 }],
        }),
      ],
      1000,
      'FIRST_SUB_ORDER',
    );
    expect(subOrders.map((subOrder) => [subOrder.warehouseId, subOrder.lines.map((l) => l.lineId), subOrder.shippingFee])).toEqual([
      ['W1', ['l1', 'l2'], 1000],
      ['M2', ['l3'], 0],
    ]);
  });

  it('moves each line’s shipping share to the sub-order that carries the fee (the README demo)', () => {
    // At placement the 10.00 fee was spread over kettle and honey; the split charges it to the
    // first sub-order, so the kettle's line now carries all of it and the honey none.
    const { subOrders, lines } = splitOrder(
      [
        line({ lineId: 'kettle', paidAmount: 4634, shippingFeeShare: 635 }),
        line({
          lineId: 'honey',
          quantity: 2,
          merchantId: 'farm',
          fulfilmentType: 'DROP_SHIP',
          paidAmount: 2665,
          shippingFeeShare: 365,
          allocations: [{ warehouseId: 'FARM', quantity: 2 }],
        }),
      ],
      1000,
      'FIRST_SUB_ORDER',
    );
    expect(lines.get('kettle')).toEqual({ shippingFeeShare: 1000, paidAmount: 4999 });
    expect(lines.get('honey')).toEqual({ shippingFeeShare: 0, paidAmount: 2300 });
    expect(subOrders.map((subOrder) => [subOrder.shippingFee, subOrder.lines[0].paidAmount])).toEqual([
      [1000, 4999],
      [0, 2300],
    ]);
  });

  it('cuts a line served by two warehouses by quantity, to the cent, and each piece carries its sub-order’s fee', () => {
    const { subOrders, lines } = splitOrder(
      [
        line({
          quantity: 3,
          paidAmount: 1301,
          shippingFeeShare: 301,
          allocations: [
            { warehouseId: 'W2', quantity: 1 },
            { warehouseId: 'W1', quantity: 2 },
          ],
        }),
      ],
      301,
      'SPREAD_EVENLY',
    );
    const [first, second] = subOrders;
    expect(first.lines[0]).toEqual({ lineId: 'l1', skuId: 'A', quantity: 2, merchandise: 667, shippingFeeShare: 151, paidAmount: 818 });
    expect(second.lines[0]).toEqual({ lineId: 'l1', skuId: 'A', quantity: 1, merchandise: 333, shippingFeeShare: 150, paidAmount: 483 });
    expect(lines.get('l1')).toEqual({ shippingFeeShare: 301, paidAmount: 1301 });
  });

  it('refuses a line whose allocation does not cover it', () => {
    expect(() => splitOrder([line({ quantity: 2 })], 0, 'FIRST_SUB_ORDER')).toThrow(/1 of 2 units/);
  });

  it('keeps every figure whole: lines add up to what was paid, pieces to their sub-order, sub-orders to the fee', () => {
    const warehouses = ['W1', 'W2', 'W3'];
    const lineArb = fc.record({
      merchandise: fc.integer({ min: 0, max: 1_000_000 }),
      merchantId: fc.constantFrom('mall', 'farm'),
      fulfilmentType: fc.constantFrom('SELF_OPERATED' as const, 'DROP_SHIP' as const, 'THIRD_PARTY_PLATFORM' as const),
      perWarehouse: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }).filter((q) => q.some((n) => n > 0)),
    });
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.constantFrom('FIRST_SUB_ORDER' as const, 'SPREAD_EVENLY' as const),
        (drafts, fee, mode) => {
          // Placement spreads the fee over the lines by merchandise, as pricing does.
          const placementShares = spread(
            fee,
            drafts.map((draft) => draft.merchandise),
          );
          const input = drafts.map((draft, index) => ({
            lineId: `l${index}`,
            skuId: `S${index}`,
            merchantId: draft.merchantId,
            fulfilmentType: draft.fulfilmentType,
            quantity: draft.perWarehouse.reduce((sum, n) => sum + n, 0),
            paidAmount: draft.merchandise + placementShares[index],
            shippingFeeShare: placementShares[index],
            allocations: draft.perWarehouse.flatMap((quantity, w) => (quantity > 0 ? [{ warehouseId: warehouses[w], quantity }] : [])),
          }));
          const { subOrders, lines } = splitOrder(input, fee, mode);
          const total = (numbers: number[]) => numbers.reduce((sum, n) => sum + n, 0);
          expect(total(subOrders.map((subOrder) => subOrder.shippingFee))).toBe(fee);
          expect(total([...lines.values()].map((shares) => shares.paidAmount))).toBe(total(input.map((l) => l.paidAmount)));
          expect(total([...lines.values()].map((shares) => shares.shippingFeeShare))).toBe(fee);
          subOrders.forEach((subOrder, position) => {
            expect(total(subOrder.lines.map((piece) => piece.shippingFeeShare))).toBe(subOrder.shippingFee);
            for (const piece of subOrder.lines) expect(piece.paidAmount).toBe(piece.merchandise + piece.shippingFeeShare);
            if (mode === 'FIRST_SUB_ORDER' && position > 0)
              expect(subOrder.lines.every((piece) => piece.shippingFeeShare === 0)).toBe(true);
          });
          for (const source of input) {
            const pieces = subOrders.flatMap((subOrder) => subOrder.lines.filter((piece) => piece.lineId === source.lineId));
            expect(lines.get(source.lineId)).toEqual({
              shippingFeeShare: total(pieces.map((piece) => piece.shippingFeeShare)),
              paidAmount: total(pieces.map((piece) => piece.paidAmount)),
            });
            expect(total(pieces.map((piece) => piece.merchandise))).toBe(source.paidAmount - source.shippingFeeShare);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The placement's spread, by merchandise, so the test's input is an order pricing could have made. */
function spread(fee: number, weights: number[]): number[] {
  const sum = weights.reduce((total, weight) => total + weight, 0);
  if (sum === 0) return weights.map((_, index) => (index === 0 ? fee : 0));
  const parts = weights.map((weight) => Math.floor((fee * weight) / sum));
  parts[0] += fee - parts.reduce((total, part) => total + part, 0);
  return parts;
}
