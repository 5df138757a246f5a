import { describe, expect, it } from 'vitest';
import { linesForSkus, parcelContentProblems, shipmentCoverage } from './parcel-contents.js';

const subOrder = [
  { lineId: 'tea', quantity: 3 },
  { lineId: 'cup', quantity: 1 },
];

describe('parcelContentProblems', () => {
  it('accepts every unit packed once, over several parcels', () => {
    const parcels = [
      [{ lineId: 'tea', quantity: 2 }],
      [
        { lineId: 'tea', quantity: 1 },
        { lineId: 'cup', quantity: 1 },
      ],
    ];
    expect(parcelContentProblems(subOrder, [], parcels, { everyUnit: true })).toEqual([]);
  });

  it('names units left out, units too many, lines it does not have and lines listed twice', () => {
    expect(parcelContentProblems(subOrder, [], [[{ lineId: 'tea', quantity: 3 }]], { everyUnit: true })).toEqual([
      'line cup: 1 of 1 units are in no parcel',
    ]);
    expect(
      parcelContentProblems(
        subOrder,
        [],
        [
          [
            { lineId: 'tea', quantity: 2 },
            { lineId: 'tea', quantity: 2 },
            { lineId: 'pot', quantity: 1 },
          ],
        ],
        { everyUnit: false },
      ),
    ).toEqual([
      'parcels.0: line tea is listed twice',
      'parcels.0: line pot is not in this sub-order',
      'line tea: 4 units in parcels, but the sub-order has 3',
    ]);
  });

  it('counts the parcels already made when a merchant reports a later shipment', () => {
    const first = [[{ lineId: 'tea', quantity: 2 }]];
    expect(parcelContentProblems(subOrder, first, [[{ lineId: 'tea', quantity: 1 }]], { everyUnit: false })).toEqual([]);
    expect(parcelContentProblems(subOrder, first, [[{ lineId: 'tea', quantity: 2 }]], { everyUnit: false })).toEqual([
      'line tea: 4 units in parcels, but the sub-order has 3',
    ]);
  });
});

describe('shipmentCoverage', () => {
  it('is NONE, SOME or ALL by the units handed to carriers', () => {
    expect(shipmentCoverage(subOrder, [])).toBe('NONE');
    expect(shipmentCoverage(subOrder, [[{ lineId: 'tea', quantity: 3 }]])).toBe('SOME');
    expect(shipmentCoverage(subOrder, [[{ lineId: 'tea', quantity: 3 }], [{ lineId: 'cup', quantity: 1 }]])).toBe('ALL');
  });
});

describe('parcels described by SKU', () => {
  const lines = [
    { lineId: 'l1', skuId: 'tea', quantity: 2 },
    { lineId: 'l2', skuId: 'tea', quantity: 3 },
    { lineId: 'l3', skuId: 'cup', quantity: 1 },
  ];

  it('fills a SKU’s lines in line order, after what earlier parcels took', () => {
    expect(linesForSkus(lines, [], [{ skuId: 'tea', quantity: 3 }])).toEqual({
      lines: [
        { lineId: 'l1', quantity: 2 },
        { lineId: 'l2', quantity: 1 },
      ],
    });
    expect(linesForSkus(lines, [[{ lineId: 'l1', quantity: 2 }]], [{ skuId: 'tea', quantity: 3 }])).toEqual({
      lines: [{ lineId: 'l2', quantity: 3 }],
    });
  });

  it('names a SKU the sub-order does not have and units it has no more of', () => {
    expect(linesForSkus(lines, [], [{ skuId: 'kettle', quantity: 1 }])).toEqual({ problems: ['SKU kettle is not in this sub-order'] });
    expect(linesForSkus(lines, [[{ lineId: 'l3', quantity: 1 }]], [{ skuId: 'cup', quantity: 1 }])).toEqual({
      problems: ['SKU cup: 1 more units than the sub-order has left to ship'],
    });
  });
});
