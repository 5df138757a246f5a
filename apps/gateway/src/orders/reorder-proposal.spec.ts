import { describe, expect, it } from 'vitest';
import { buildReorderProposal, type CurrentSku } from './reorder-proposal.js';

const sku = (skuId: string, overrides: Partial<CurrentSku> = {}): [string, CurrentSku] => [
  skuId,
  { skuId, name: skuId, priceMinor: 1000, onShelf: true, available: 10, ...overrides },
];

describe('buildReorderProposal', () => {
  it('flags every line with its reason and keeps them all', () => {
    const proposal = buildReorderProposal(
      [
        { skuId: 'OK', name: 'ok', quantity: 1, unitPrice: 1000 },
        { skuId: 'SHELF', name: 'shelf', quantity: 1, unitPrice: 1000 },
        { skuId: 'SHORT', name: 'short', quantity: 5, unitPrice: 1000 },
        { skuId: 'PRICE', name: 'price', quantity: 1, unitPrice: 900 },
        { skuId: 'GONE', name: 'gone', quantity: 1, unitPrice: 1000 },
      ],
      new Map([sku('OK'), sku('SHELF', { onShelf: false }), sku('SHORT', { available: 4 }), sku('PRICE')]),
    );
    expect(proposal.map((line) => line.status)).toEqual(['OK', 'OFF_SHELF', 'INSUFFICIENT_STOCK', 'PRICE_CHANGED', 'DISCONTINUED']);
    expect(proposal[3]).toMatchObject({ oldUnitPrice: 900, newUnitPrice: 1000 });
    expect(proposal[2]).toMatchObject({ available: 4, quantity: 5 });
  });

  it('reports off the shelf before stock and price', () => {
    const [line] = buildReorderProposal(
      [{ skuId: 'X', name: 'x', quantity: 9, unitPrice: 1 }],
      new Map([sku('X', { onShelf: false, available: 0 })]),
    );
    expect(line.status).toBe('OFF_SHELF');
  });
});
