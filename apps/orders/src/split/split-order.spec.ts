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
    const subOrders = splitOrder(
      [
        line({ lineId: 'l1', skuId: 'A' }),
        line({ lineId: 'l2', skuId: 'B', allocations: [{ warehouseId: 'W1', quantity: 1 }] }),
        line({
          lineId: 'l3',
          skuId: 'C',
          merchantId: 'm2',
          fulfilmentType: 'DROP_SHIP',
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

  it('cuts a line served by two warehouses by quantity, to the cent', () => {
    const [first, second] = splitOrder(
      [
        line({
          quantity: 3,
          paidAmount: 1000,
          allocations: [
            { warehouseId: 'W2', quantity: 1 },
            { warehouseId: 'W1', quantity: 2 },
          ],
        }),
      ],
      301,
      'SPREAD_EVENLY',
    );
    expect(first.lines[0]).toMatchObject({ quantity: 2, paidAmount: 667 });
    expect(second.lines[0]).toMatchObject({ quantity: 1, paidAmount: 333 });
    expect(first.shippingFee + second.shippingFee).toBe(301);
  });

  it('keeps the shipping fee on the sub-orders, not twice on the lines', () => {
    const [only] = splitOrder([line({ paidAmount: 1800, shippingFeeShare: 800 })], 800, 'FIRST_SUB_ORDER');
    expect(only.lines[0].paidAmount + only.shippingFee).toBe(1800);
  });

  it('refuses a line whose allocation does not cover it', () => {
    expect(() => splitOrder([line({ quantity: 2 })], 0, 'FIRST_SUB_ORDER')).toThrow(/1 of 2 units/);
  });
});
