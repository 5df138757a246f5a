import { describe, expect, it } from 'vitest';
import { type CatalogSku, judgeReplacements } from './replacement-rule.js';

const catalog = new Map<string, CatalogSku>([
  ['tea-green', { merchantId: 'mall', priceMinor: 5000, currency: 'CNY', onShelf: true }],
  ['tea-gold', { merchantId: 'mall', priceMinor: 6800, currency: 'CNY', onShelf: true }],
  ['tea-old', { merchantId: 'mall', priceMinor: 5000, currency: 'CNY', onShelf: false }],
  ['farm-tea', { merchantId: 'farm', priceMinor: 5000, currency: 'CNY', onShelf: true }],
]);
const line = (replacementSkuId?: string) => ({ lineId: 'L1', skuId: 'tea', unitPriceMinor: 5000, replacementSkuId });

describe('what an exchange may send', () => {
  it('sends the same SKU, or a variant of the merchant at the price paid', () => {
    expect(judgeReplacements([line(), line('tea')], 'mall', 'CNY', catalog)).toBeNull();
    expect(judgeReplacements([line('tea-green')], 'mall', 'CNY', catalog)).toBeNull();
  });

  it('refuses a price difference with both prices, and unknown, foreign or off-shelf SKUs', () => {
    expect(judgeReplacements([line('tea-gold')], 'mall', 'CNY', catalog)).toMatchObject({
      reason: 'PRICE_DIFFERS',
      priceMinor: 6800,
      paidUnitPriceMinor: 5000,
    });
    expect(judgeReplacements([line('tea-green')], 'mall', 'USD', catalog)?.reason).toBe('PRICE_DIFFERS');
    expect(judgeReplacements([line('nope')], 'mall', 'CNY', catalog)?.reason).toBe('UNKNOWN_SKU');
    expect(judgeReplacements([line('farm-tea')], 'mall', 'CNY', catalog)?.reason).toBe('OTHER_MERCHANT');
    expect(judgeReplacements([line('tea-old')], 'mall', 'CNY', catalog)?.reason).toBe('OFF_SHELF');
  });
});
