import { describe, expect, it } from 'vitest';
import {
  holdTtlSeconds,
  type LevelState,
  ORDER_STOCK_STATES,
  onCancelled,
  onHoldExpired,
  onPaid,
  onPlaced,
  planPayment,
  planReservation,
} from './order-stock.js';

const onShelf = (...ids: string[]) => new Map(ids.map((id) => [id, { onShelf: true }]));
const level = (skuId: string, warehouseId: string, onHand: number, held = 0): LevelState => ({ skuId, warehouseId, onHand, held });

describe('order stock decisions', () => {
  it('holds only for an order seen the first time', () => {
    expect(ORDER_STOCK_STATES.filter((state) => onPlaced(state) === 'reserve')).toEqual(['NEW']);
  });

  it('releases once on cancel, remembers an early cancel and leaves paid orders alone', () => {
    expect(onCancelled('HELD')).toBe('release');
    expect(onCancelled('NEW')).toBe('close');
    expect(onCancelled('NOTHING_HELD')).toBe('close');
    expect(onCancelled('EXPIRED')).toBe('close');
    for (const state of ['CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'] as const) expect(onCancelled(state)).toBe('ignore');
  });

  it('deducts once, whatever came before', () => {
    expect(ORDER_STOCK_STATES.filter((state) => onPaid(state) === 'ignore')).toEqual(['DEDUCTED', 'DEDUCTION_FAILED']);
  });

  it('expires only live holds', () => {
    expect(ORDER_STOCK_STATES.filter((state) => onHoldExpired(state) === 'release')).toEqual(['HELD']);
  });
});

describe('planReservation', () => {
  it('holds every line from one warehouse when it can', () => {
    const plan = planReservation(
      [
        { lineId: 'l1', skuId: 'A', quantity: 2 },
        { lineId: 'l2', skuId: 'B', quantity: 1 },
      ],
      onShelf('A', 'B'),
      [level('A', 'w1', 5, 4), level('A', 'w2', 2), level('B', 'w2', 1)],
    );
    expect(plan).toEqual({
      ok: true,
      allocations: [
        { lineId: 'l1', skuId: 'A', warehouseId: 'w2', quantity: 2 },
        { lineId: 'l2', skuId: 'B', warehouseId: 'w2', quantity: 1 },
      ],
    });
  });

  it('reports unknown, off-shelf and short SKUs together, once per SKU', () => {
    const plan = planReservation(
      [
        { lineId: 'l1', skuId: 'GONE', quantity: 1 },
        { lineId: 'l2', skuId: 'SHORT', quantity: 2 },
        { lineId: 'l3', skuId: 'SHORT', quantity: 2 },
        { lineId: 'l4', skuId: 'OFF', quantity: 1 },
        { lineId: 'l5', skuId: 'FINE', quantity: 1 },
      ],
      new Map([
        ['SHORT', { onShelf: true }],
        ['OFF', { onShelf: false }],
        ['FINE', { onShelf: true }],
      ]),
      [level('SHORT', 'w1', 5, 2), level('OFF', 'w1', 9), level('FINE', 'w1', 1)],
    );
    expect(plan).toEqual({
      ok: false,
      shortages: [
        { skuId: 'GONE', reason: 'UNKNOWN_SKU', requested: 1, available: 0 },
        { skuId: 'SHORT', reason: 'INSUFFICIENT_STOCK', requested: 4, available: 3 },
        { skuId: 'OFF', reason: 'OFF_SHELF', requested: 1, available: 9 },
      ],
    });
  });
});

describe('planPayment', () => {
  const held = [
    { lineId: 'l1', skuId: 'A', warehouseId: 'w2', quantity: 2, orderId: 'o-1' },
    { lineId: 'l2', skuId: 'B', warehouseId: 'w1', quantity: 1, orderId: 'o-1' },
  ];

  it('consumes the holds and takes deduct-on-payment lines, preferring warehouses already used', () => {
    const plan = planPayment(
      [
        { lineId: 'l1', skuId: 'A', quantity: 2 },
        { lineId: 'l2', skuId: 'B', quantity: 1 },
        { lineId: 'l3', skuId: 'C', quantity: 3 },
      ],
      held,
      onShelf('A', 'B', 'C'),
      [level('A', 'w2', 2, 2), level('B', 'w1', 1, 1), level('C', 'w0', 3), level('C', 'w2', 3)],
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.consume).toEqual(held);
    expect(Object.keys(plan.allocations[0]).sort()).toEqual(['lineId', 'quantity', 'skuId', 'warehouseId']);
    expect(plan.release).toEqual([]);
    expect(plan.take).toEqual([{ lineId: 'l3', skuId: 'C', warehouseId: 'w2', quantity: 3 }]);
    expect(plan.allocations.map((a) => `${a.lineId}:${a.warehouseId}:${a.quantity}`)).toEqual(['l1:w2:2', 'l2:w1:1', 'l3:w2:3']);
  });

  it('takes every line from stock when nothing is held (expired, cancelled or deduct-on-payment only)', () => {
    const plan = planPayment([{ lineId: 'l1', skuId: 'A', quantity: 2 }], [], onShelf('A'), [level('A', 'w1', 1), level('A', 'w2', 5, 3)]);
    expect(plan).toMatchObject({ ok: true, take: [{ lineId: 'l1', warehouseId: 'w2', quantity: 2 }] });
  });

  it('fails without deducting anything when a line cannot be served, releasing every hold', () => {
    const plan = planPayment(
      [
        { lineId: 'l1', skuId: 'A', quantity: 2 },
        { lineId: 'l2', skuId: 'B', quantity: 1 },
        { lineId: 'l3', skuId: 'C', quantity: 3 },
        { lineId: 'l4', skuId: 'X', quantity: 1 },
      ],
      held,
      onShelf('A', 'B', 'C'),
      [level('A', 'w2', 2, 2), level('B', 'w1', 1, 1), level('C', 'w1', 2)],
    );
    expect(plan).toEqual({
      ok: false,
      release: held,
      shortages: [
        { skuId: 'C', reason: 'INSUFFICIENT_STOCK', requested: 3, available: 2 },
        { skuId: 'X', reason: 'UNKNOWN_SKU', requested: 1, available: 0 },
      ],
    });
  });

  it('re-takes a line paid with another quantity than held, counting its own released hold', () => {
    const plan = planPayment([{ lineId: 'l1', skuId: 'A', quantity: 3 }], [held[0]], onShelf('A'), [level('A', 'w2', 3, 2)]);
    expect(plan).toMatchObject({
      ok: true,
      consume: [],
      release: [held[0]],
      take: [{ lineId: 'l1', skuId: 'A', warehouseId: 'w2', quantity: 3 }],
    });
  });

  it('releases holds of lines that were not paid', () => {
    const plan = planPayment([{ lineId: 'l1', skuId: 'A', quantity: 2 }], held, onShelf('A', 'B'), [
      level('A', 'w2', 2, 2),
      level('B', 'w1', 1, 1),
    ]);
    expect(plan).toMatchObject({ ok: true, consume: [held[0]], release: [held[1]], take: [] });
  });

  it('deducts a held line even if its SKU went off the shelf meanwhile', () => {
    const plan = planPayment([{ lineId: 'l1', skuId: 'A', quantity: 2 }], [held[0]], new Map([['A', { onShelf: false }]]), [
      level('A', 'w2', 2, 2),
    ]);
    expect(plan.ok).toBe(true);
  });
});

describe('holdTtlSeconds', () => {
  const ttl = { standardSeconds: 86_400, scarceSeconds: 900 };

  it('holds plain SKUs for the standard TTL', () => {
    expect(holdTtlSeconds([{ scarce: false }, { scarce: false }], ttl)).toBe(86_400);
    expect(holdTtlSeconds([], ttl)).toBe(86_400);
  });

  it('holds the whole order for the scarce TTL when any held SKU is scarce', () => {
    expect(holdTtlSeconds([{ scarce: false }, { scarce: true }], ttl)).toBe(900);
  });

  it('never holds a scarce SKU longer than a plain one', () => {
    expect(holdTtlSeconds([{ scarce: true }], { standardSeconds: 60, scarceSeconds: 900 })).toBe(60);
  });
});
