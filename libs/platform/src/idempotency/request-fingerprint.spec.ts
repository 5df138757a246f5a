import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from './request-fingerprint.js';

describe('fingerprint', () => {
  it('is the same for the same body whatever the order of its keys, at any depth', () => {
    const a = { orderId: 'o-1', tenders: [{ type: 'POINTS', points: 5, extra: { b: 1, a: 2 } }] };
    const b = { tenders: [{ extra: { a: 2, b: 1 }, points: 5, type: 'POINTS' }], orderId: 'o-1' };
    expect(fingerprint(a)).toBe(fingerprint(b));
  });

  it('differs when a value, the order of an array, or a key differs', () => {
    const base = fingerprint({
      lines: [
        { skuId: 'A', quantity: 1 },
        { skuId: 'B', quantity: 2 },
      ],
    });
    expect(
      fingerprint({
        lines: [
          { skuId: 'A', quantity: 1 },
          { skuId: 'B', quantity: 3 },
        ],
      }),
    ).not.toBe(base);
    expect(
      fingerprint({
        lines: [
          { skuId: 'B', quantity: 2 },
          { skuId: 'A', quantity: 1 },
        ],
      }),
    ).not.toBe(base);
    expect(
      fingerprint({
        items: [
          { skuId: 'A', quantity: 1 },
          { skuId: 'B', quantity: 2 },
        ],
      }),
    ).not.toBe(base);
  });

  it('ignores undefined fields, as JSON does, but not null ones', () => {
    expect(fingerprint({ a: 1, couponCode: undefined })).toBe(fingerprint({ a: 1 }));
    expect(fingerprint({ a: 1, couponCode: null })).not.toBe(fingerprint({ a: 1 }));
  });

  it('tells a number from the string that spells it', () => {
    expect(fingerprint({ amountMinor: 100 })).not.toBe(fingerprint({ amountMinor: '100' }));
  });

  it('is a sha-256 in hex over the canonical JSON', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: true })).toBe('{"a":true,"b":[2,{"c":"x","d":1}]}');
    expect(fingerprint({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
