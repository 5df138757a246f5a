import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Allocation, type AllocationLine, allocate, oneWarehouseFor, type WarehouseStock } from './allocate.js';

const stock = (entries: [skuId: string, warehouseId: string, available: number][]): WarehouseStock[] =>
  entries.map(([skuId, warehouseId, available]) => ({ skuId, warehouseId, available }));

const warehousesOf = (allocations: Allocation[]): string[] => [...new Set(allocations.map((a) => a.warehouseId))].sort();

describe('allocate', () => {
  it('serves the whole order from one warehouse when one can, the smallest id on a tie', () => {
    const result = allocate(
      [
        { lineId: 'l1', skuId: 'A', quantity: 2 },
        { lineId: 'l2', skuId: 'B', quantity: 1 },
      ],
      stock([
        ['A', 'w3', 5],
        ['B', 'w3', 5],
        ['A', 'w2', 2],
        ['B', 'w2', 1],
        ['A', 'w1', 9],
      ]),
    );
    expect(result).toEqual({
      ok: true,
      allocations: [
        { lineId: 'l1', skuId: 'A', warehouseId: 'w2', quantity: 2 },
        { lineId: 'l2', skuId: 'B', warehouseId: 'w2', quantity: 1 },
      ],
    });
  });

  it('lets a preferred warehouse win a tie', () => {
    const result = allocate(
      [{ lineId: 'l1', skuId: 'A', quantity: 1 }],
      stock([
        ['A', 'w1', 1],
        ['A', 'w2', 1],
      ]),
      {
        preferredWarehouseIds: ['w2'],
      },
    );
    expect(result.ok && result.allocations[0].warehouseId).toBe('w2');
  });

  it('uses as few warehouses as possible when none serves everything, without splitting lines', () => {
    // w1 serves A and B, w2 serves C only, w3 serves A, C: the cover is {w1, w2} or {w1, w3}; w1 first (2 lines).
    const result = allocate(
      [
        { lineId: 'a', skuId: 'A', quantity: 1 },
        { lineId: 'b', skuId: 'B', quantity: 1 },
        { lineId: 'c', skuId: 'C', quantity: 1 },
      ],
      stock([
        ['A', 'w1', 1],
        ['B', 'w1', 1],
        ['C', 'w2', 1],
        ['A', 'w3', 1],
        ['C', 'w3', 1],
      ]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(warehousesOf(result.allocations)).toEqual(['w1', 'w2']);
    expect(result.allocations.map((a) => `${a.lineId}@${a.warehouseId}`)).toEqual(['a@w1', 'b@w1', 'c@w2']);
  });

  it('splits a line only when no warehouse holds enough of it, taking the biggest piles first', () => {
    const result = allocate(
      [{ lineId: 'l1', skuId: 'A', quantity: 10 }],
      stock([
        ['A', 'w1', 3],
        ['A', 'w2', 8],
        ['A', 'w3', 4],
      ]),
    );
    expect(result).toEqual({
      ok: true,
      allocations: [
        { lineId: 'l1', skuId: 'A', warehouseId: 'w2', quantity: 8 },
        { lineId: 'l1', skuId: 'A', warehouseId: 'w3', quantity: 2 },
      ],
    });
  });

  it('reports every short SKU and allocates nothing', () => {
    const result = allocate(
      [
        { lineId: 'l1', skuId: 'A', quantity: 2 },
        { lineId: 'l2', skuId: 'A', quantity: 2 },
        { lineId: 'l3', skuId: 'B', quantity: 1 },
        { lineId: 'l4', skuId: 'C', quantity: 1 },
      ],
      stock([
        ['A', 'w1', 3],
        ['B', 'w1', 1],
        ['A', 'w2', -4],
      ]),
    );
    expect(result).toEqual({
      ok: false,
      shortages: [
        { skuId: 'A', requested: 4, available: 3 },
        { skuId: 'C', requested: 1, available: 0 },
      ],
    });
  });

  it('allocates nothing for no lines and refuses malformed lines', () => {
    expect(allocate([], [])).toEqual({ ok: true, allocations: [] });
    expect(() => allocate([{ lineId: 'l', skuId: 'A', quantity: 0 }], [])).toThrow(RangeError);
    expect(() =>
      allocate(
        [
          { lineId: 'l', skuId: 'A', quantity: 1 },
          { lineId: 'l', skuId: 'B', quantity: 1 },
        ],
        [],
      ),
    ).toThrow(/unique/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const SKUS = ['A', 'B', 'C', 'D'];
const WAREHOUSES = ['w1', 'w2', 'w3', 'w4', 'w5'];

const linesArb = (distinctSkus: boolean): fc.Arbitrary<AllocationLine[]> =>
  (distinctSkus
    ? fc.uniqueArray(fc.constantFrom(...SKUS), { minLength: 1, maxLength: SKUS.length })
    : fc.array(fc.constantFrom(...SKUS), { minLength: 1, maxLength: 6 })
  ).chain((skus) =>
    fc
      .tuple(...skus.map(() => fc.integer({ min: 1, max: 12 })))
      .map((quantities) => skus.map((skuId, index) => ({ lineId: `line-${index}`, skuId, quantity: quantities[index] }))),
  );

const stockArb: fc.Arbitrary<WarehouseStock[]> = fc.array(
  fc.record({ skuId: fc.constantFrom(...SKUS), warehouseId: fc.constantFrom(...WAREHOUSES), available: fc.integer({ min: 0, max: 15 }) }),
  { maxLength: 20 },
);

const availableAt = (entries: WarehouseStock[], skuId: string, warehouseId: string): number =>
  entries.filter((e) => e.skuId === skuId && e.warehouseId === warehouseId).reduce((sum, e) => sum + e.available, 0);

const totalOf = (entries: WarehouseStock[], skuId: string): number =>
  entries.filter((e) => e.skuId === skuId).reduce((sum, e) => sum + e.available, 0);

describe('allocate, as properties', () => {
  it('never allocates more than available, and covers each line exactly with positive pieces', () => {
    fc.assert(
      fc.property(linesArb(false), stockArb, (lines, entries) => {
        const result = allocate(lines, entries);
        if (!result.ok) return;
        const used = new Map<string, number>();
        for (const allocation of result.allocations) {
          expect(allocation.quantity).toBeGreaterThanOrEqual(1);
          const key = `${allocation.skuId}@${allocation.warehouseId}`;
          used.set(key, (used.get(key) ?? 0) + allocation.quantity);
        }
        for (const [key, units] of used) {
          const [skuId, warehouseId] = key.split('@');
          expect(units).toBeLessThanOrEqual(availableAt(entries, skuId, warehouseId));
        }
        for (const line of lines) {
          const pieces = result.allocations.filter((a) => a.lineId === line.lineId);
          expect(pieces.every((piece) => piece.skuId === line.skuId)).toBe(true);
          expect(pieces.reduce((sum, piece) => sum + piece.quantity, 0)).toBe(line.quantity);
          expect(new Set(pieces.map((piece) => piece.warehouseId)).size).toBe(pieces.length);
        }
        expect(new Set(result.allocations.map((a) => a.lineId))).toEqual(new Set(lines.map((l) => l.lineId)));
      }),
      { numRuns: 500 },
    );
  });

  it('fails exactly when some SKU lacks stock in total, naming exactly those SKUs', () => {
    fc.assert(
      fc.property(linesArb(false), stockArb, (lines, entries) => {
        const demand = new Map<string, number>();
        for (const line of lines) demand.set(line.skuId, (demand.get(line.skuId) ?? 0) + line.quantity);
        const short = [...demand].filter(([skuId, units]) => totalOf(entries, skuId) < units).map(([skuId]) => skuId);
        const result = allocate(lines, entries);
        expect(result.ok).toBe(short.length === 0);
        if (!result.ok) {
          expect(result.shortages.map((s) => s.skuId).sort()).toEqual(short.sort());
          for (const shortage of result.shortages) {
            expect(shortage.requested).toBe(demand.get(shortage.skuId));
            expect(shortage.available).toBe(totalOf(entries, shortage.skuId));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('finds a single-warehouse solution whenever one exists', () => {
    fc.assert(
      fc.property(linesArb(false), stockArb, (lines, entries) => {
        const demand = new Map<string, number>();
        for (const line of lines) demand.set(line.skuId, (demand.get(line.skuId) ?? 0) + line.quantity);
        const candidates = WAREHOUSES.filter((w) => [...demand].every(([skuId, units]) => availableAt(entries, skuId, w) >= units));
        const result = allocate(lines, entries);
        if (candidates.length > 0) {
          expect(result.ok).toBe(true);
          if (result.ok) expect(warehousesOf(result.allocations)).toEqual([candidates[0]]);
        } else if (result.ok) {
          expect(warehousesOf(result.allocations).length).toBeGreaterThan(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('splits a line only when no single warehouse has enough for it (one line per SKU)', () => {
    fc.assert(
      fc.property(linesArb(true), stockArb, (lines, entries) => {
        const result = allocate(lines, entries);
        if (!result.ok) return;
        for (const line of lines) {
          const pieces = result.allocations.filter((a) => a.lineId === line.lineId);
          if (pieces.length > 1) {
            expect(WAREHOUSES.every((w) => availableAt(entries, line.skuId, w) < line.quantity)).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic whatever the order the stock rows come in', () => {
    fc.assert(
      fc.property(linesArb(false), stockArb, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (lines, entries, noise) => {
        const shuffled = entries
          .map((entry) => ({ entry, key: noise.next().value }))
          .sort((a, b) => a.key - b.key)
          .map(({ entry }) => entry);
        expect(allocate(lines, shuffled)).toEqual(allocate(lines, entries));
      }),
      { numRuns: 300 },
    );
  });
});

describe('oneWarehouseFor', () => {
  it('names the warehouse that has all of every SKU, adding up lines of one SKU, a preferred one first', () => {
    const entries = stock([
      ['A', 'w1', 3],
      ['B', 'w1', 1],
      ['A', 'w2', 3],
      ['B', 'w2', 1],
      ['A', 'w3', 2],
      ['B', 'w3', 5],
    ]);
    const lines = [
      { skuId: 'A', quantity: 2 },
      { skuId: 'A', quantity: 1 },
      { skuId: 'B', quantity: 1 },
    ];
    expect(oneWarehouseFor(lines, entries)).toBe('w1');
    expect(oneWarehouseFor(lines, entries, { preferredWarehouseIds: ['w3', 'w2'] })).toBe('w2');
  });

  it('names none when the units exist only spread over warehouses, or not at all', () => {
    const entries = stock([
      ['A', 'w1', 2],
      ['B', 'w2', 2],
    ]);
    expect(
      oneWarehouseFor(
        [
          { skuId: 'A', quantity: 1 },
          { skuId: 'B', quantity: 1 },
        ],
        entries,
      ),
    ).toBeUndefined();
    expect(oneWarehouseFor([{ skuId: 'A', quantity: 3 }], entries)).toBeUndefined();
    expect(oneWarehouseFor([{ skuId: 'C', quantity: 1 }], entries)).toBeUndefined();
  });

  it('picks what allocate picks when one warehouse can serve everything, and none exactly when allocate cannot use one', () => {
    fc.assert(
      fc.property(linesArb(false), stockArb, fc.array(fc.constantFrom('w1', 'w2', 'w3'), { maxLength: 2 }), (lines, entries, preferred) => {
        const chosen = oneWarehouseFor(lines, entries, { preferredWarehouseIds: preferred });
        const result = allocate(lines, entries, { preferredWarehouseIds: preferred });
        if (chosen === undefined) {
          expect(result.ok && warehousesOf(result.allocations).length === 1).toBe(false);
        } else {
          expect(result.ok && warehousesOf(result.allocations)).toEqual([chosen]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
