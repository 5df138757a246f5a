import { describe, expect, it } from 'vitest';

interface Line {
  lineId: string;
  quantity: number;
}
interface SubOrderLike {
  fulfilmentType: 'SELF_OPERATED' | 'DROP_SHIP';
  lines: Line[];
  parcels: { id: string; handedOverAt: string | null; lines: Line[] }[];
}
interface OperationsLib {
  unitsNotInParcels(subOrder: SubOrderLike): Line[];
  parcelsToHandOver(subOrder: SubOrderLike): { id: string }[];
  signedUnits(delta: number): string;
  queryOf(fields: Record<string, string | number | undefined>): string;
}

// The browser's own module, plain JavaScript with no type declarations: loaded by URL, typed here.
const lib = (await import(new URL('./public/operations-lib.js', import.meta.url).href)) as OperationsLib;

describe('what the warehouse and stock tabs work out', () => {
  it('reports, for a drop-ship merchant, the units no parcel holds yet', () => {
    const subOrder: SubOrderLike = {
      fulfilmentType: 'DROP_SHIP',
      lines: [
        { lineId: 'tea', quantity: 3 },
        { lineId: 'cup', quantity: 1 },
      ],
      parcels: [],
    };
    expect(lib.unitsNotInParcels(subOrder)).toEqual(subOrder.lines);
    subOrder.parcels.push({ id: 'p1', handedOverAt: '2026-01-01T00:00:00Z', lines: [{ lineId: 'tea', quantity: 2 }] });
    subOrder.parcels.push({ id: 'p2', handedOverAt: '2026-01-01T00:00:00Z', lines: [{ lineId: 'cup', quantity: 1 }] });
    expect(lib.unitsNotInParcels(subOrder)).toEqual([{ lineId: 'tea', quantity: 1 }]);
    subOrder.parcels.push({ id: 'p3', handedOverAt: '2026-01-01T00:00:00Z', lines: [{ lineId: 'tea', quantity: 1 }] });
    expect(lib.unitsNotInParcels(subOrder)).toEqual([]);
  });

  it('offers our own packed parcels for handover until a carrier has them, and never a merchant’s', () => {
    const parcels = [
      { id: 'gone', handedOverAt: '2026-01-01T00:00:00Z', lines: [] },
      { id: 'waiting', handedOverAt: null, lines: [] },
    ];
    expect(lib.parcelsToHandOver({ fulfilmentType: 'SELF_OPERATED', lines: [], parcels }).map((p) => p.id)).toEqual(['waiting']);
    expect(lib.parcelsToHandOver({ fulfilmentType: 'DROP_SHIP', lines: [], parcels })).toEqual([]);
  });

  it('signs ledger deltas with a real minus sign', () => {
    expect([50, -2, 0].map(lib.signedUnits)).toEqual(['+50', '\u22122', '0']);
    expect(lib.signedUnits(Number.NaN)).toBe('—');
  });

  it('puts only the filled fields in a query, trimmed and encoded', () => {
    expect(lib.queryOf({ skuId: ' tea ', warehouseId: '', orderId: undefined, limit: 100 })).toBe('?skuId=tea&limit=100');
    expect(lib.queryOf({ warehouseId: 'east & west' })).toBe('?warehouseId=east+%26+west');
    expect(lib.queryOf({ skuId: '  ' })).toBe('');
  });
});
