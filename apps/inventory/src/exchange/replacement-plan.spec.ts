import { describe, expect, it } from 'vitest';
import { planReplacement, type ReplacementLevel, type ReplacementWarehouse } from './replacement-plan.js';

const MERCHANT = 'm-1';
const skus = new Map([
  ['A', { merchantId: MERCHANT, name: 'Mug' }],
  ['B', { merchantId: MERCHANT, name: 'Kettle' }],
  ['X', { merchantId: 'm-other', name: 'Someone else’s' }],
]);
const warehouses = new Map<string, ReplacementWarehouse>([
  ['mall-1', { merchantId: null }],
  ['mall-2', { merchantId: null }],
  ['own', { merchantId: MERCHANT }],
  ['theirs', { merchantId: 'm-other' }],
]);
const level = (skuId: string, warehouseId: string, onHand: number, held = 0): ReplacementLevel => ({ skuId, warehouseId, onHand, held });
const request = (...lines: [skuId: string, quantity: number][]) => ({
  merchantId: MERCHANT,
  lines: lines.map(([skuId, quantity], index) => ({ lineId: `line-${index}`, skuId, quantity })),
});

describe('planReplacement', () => {
  it('takes everything from the first warehouse holding it all, counting only sellable units, one deduction per SKU', () => {
    const levels = [level('A', 'mall-1', 5, 4), level('B', 'mall-1', 9), level('A', 'mall-2', 3), level('B', 'mall-2', 1)];
    expect(planReplacement(request(['A', 2], ['B', 1], ['A', 1]), skus, levels, warehouses)).toEqual({
      ok: true,
      warehouseId: 'mall-2',
      lines: [
        { lineId: 'line-0', skuId: 'A', skuName: 'Mug', quantity: 2 },
        { lineId: 'line-1', skuId: 'B', skuName: 'Kettle', quantity: 1 },
        { lineId: 'line-2', skuId: 'A', skuName: 'Mug', quantity: 1 },
      ],
      deductions: [
        { skuId: 'A', quantity: 3 },
        { skuId: 'B', quantity: 1 },
      ],
    });
  });

  it('prefers the warehouses the exchanged lines shipped from', () => {
    const levels = [level('A', 'mall-1', 5), level('A', 'own', 5)];
    const plan = planReplacement(request(['A', 1]), skus, levels, warehouses, ['own']);
    expect(plan.ok && plan.warehouseId).toBe('own');
  });

  it('never uses another merchant’s warehouse', () => {
    const plan = planReplacement(request(['A', 1]), skus, [level('A', 'theirs', 10)], warehouses);
    expect(plan).toEqual({ ok: false, skuIds: ['A'] });
  });

  it('names the SKUs no single warehouse has enough of, and unknown or foreign SKUs, in line order', () => {
    const levels = [level('A', 'mall-1', 1), level('A', 'mall-2', 1), level('B', 'mall-1', 4), level('X', 'mall-1', 9)];
    expect(planReplacement(request(['missing', 1], ['A', 2], ['B', 1], ['X', 1]), skus, levels, warehouses)).toEqual({
      ok: false,
      skuIds: ['missing', 'A', 'X'],
    });
  });

  it('names every SKU when each fits somewhere but no warehouse has them together', () => {
    const levels = [level('A', 'mall-1', 1), level('B', 'mall-2', 1)];
    expect(planReplacement(request(['A', 1], ['B', 1]), skus, levels, warehouses)).toEqual({ ok: false, skuIds: ['A', 'B'] });
  });
});
