import { describe, expect, it } from 'vitest';
import {
  changedSkuFields,
  customerServiceOf,
  effectiveStockPolicy,
  effectiveTaxRate,
  merchantDefaultTaxRate,
  merchantUpsertedPayload,
  type SkuFacts,
  sameCustomerService,
  skuUpsertedPayload,
  stockingRefusal,
} from './catalog.rules.js';

const sku: SkuFacts = {
  id: 'sku-1',
  merchantId: 'm-1',
  name: 'Kettle',
  priceMinor: 2999,
  currency: 'EUR',
  onShelf: true,
  fulfilmentType: 'SELF_OPERATED',
  stockPolicy: null,
  scarce: false,
  purchaseLimit: null,
  taxRateBasisPoints: null,
};

describe('catalog rules', () => {
  it('falls back to the merchant default stock policy', () => {
    expect(effectiveStockPolicy(sku, 'DEDUCT_ON_PAYMENT')).toBe('DEDUCT_ON_PAYMENT');
    expect(effectiveStockPolicy({ stockPolicy: 'RESERVE_ON_ORDER' }, 'DEDUCT_ON_PAYMENT')).toBe('RESERVE_ON_ORDER');
  });

  it("takes a SKU's tax rate as its own, else its merchant's default, else the service's setting", () => {
    expect(merchantDefaultTaxRate({ defaultTaxRateBasisPoints: null }, 1_300)).toBe(1_300);
    expect(merchantDefaultTaxRate({ defaultTaxRateBasisPoints: 900 }, 1_300)).toBe(900);
    // 0 is a rate (tax-exempt goods), not "none": it must not fall through to the default.
    expect(merchantDefaultTaxRate({ defaultTaxRateBasisPoints: 0 }, 1_300)).toBe(0);
    expect(effectiveTaxRate(sku, 900)).toBe(900);
    expect(effectiveTaxRate({ taxRateBasisPoints: 600 }, 900)).toBe(600);
    expect(effectiveTaxRate({ taxRateBasisPoints: 0 }, 900)).toBe(0);
  });

  it('stocks a SKU only where it ships from', () => {
    expect(stockingRefusal(sku, { id: 'w-mall', merchantId: null, fulfilmentType: 'SELF_OPERATED' })).toBeNull();
    expect(stockingRefusal(sku, { id: 'w-own', merchantId: 'm-1', fulfilmentType: 'SELF_OPERATED' })).toBeNull();
    expect(stockingRefusal(sku, { id: 'w-tp', merchantId: null, fulfilmentType: 'THIRD_PARTY_PLATFORM' })).toContain(
      'THIRD_PARTY_PLATFORM',
    );
    expect(stockingRefusal(sku, { id: 'w-other', merchantId: 'm-2', fulfilmentType: 'SELF_OPERATED' })).toContain('m-2');
  });

  it('sees which fields a write changes', () => {
    expect(changedSkuFields(sku, { ...sku })).toEqual([]);
    expect(changedSkuFields(sku, { ...sku, priceMinor: 1999, purchaseLimit: 2 })).toEqual(['priceMinor', 'purchaseLimit']);
    expect(changedSkuFields(sku, { ...sku, taxRateBasisPoints: 900 })).toEqual(['taxRateBasisPoints']);
  });

  it('publishes the effective policy and tax rate and leaves an absent limit out', () => {
    const { id, purchaseLimit, ...described } = sku;
    const defaults = { stockPolicy: 'RESERVE_ON_ORDER', taxRateBasisPoints: 1_300 } as const;
    expect(skuUpsertedPayload({ ...sku, revision: 3 }, defaults)).toEqual({
      ...described,
      skuId: 'sku-1',
      stockPolicy: 'RESERVE_ON_ORDER',
      taxRateBasisPoints: 1_300,
      revision: 3,
    });
    expect(skuUpsertedPayload({ ...sku, purchaseLimit: 2, revision: 1 }, defaults).purchaseLimit).toBe(2);
    expect(skuUpsertedPayload({ ...sku, taxRateBasisPoints: 0, revision: 1 }, defaults).taxRateBasisPoints).toBe(0);
  });

  it('keeps a customer-service contact with the fields given, and none as null however it is spelled', () => {
    expect(customerServiceOf({ phone: '+86 571 0000', chatUrl: 'https://chat.example.com/m' })).toEqual({
      phone: '+86 571 0000',
      chatUrl: 'https://chat.example.com/m',
    });
    expect(customerServiceOf({ hours: '9-18', phone: null })).toEqual({ hours: '9-18' });
    for (const none of [undefined, null, {}, { phone: null }]) expect(customerServiceOf(none)).toBeNull();
    expect(sameCustomerService(null, null)).toBe(true);
    expect(sameCustomerService({ phone: '1' }, { phone: '1' })).toBe(true);
    expect(sameCustomerService({ phone: '1' }, { phone: '1', hours: '9-18' })).toBe(false);
    expect(sameCustomerService({ phone: '1' }, null)).toBe(false);
  });

  it('publishes a merchant with its contact when it has one, changed at its updated time', () => {
    const updatedAt = new Date('2026-11-25T10:00:00.000Z');
    expect(merchantUpsertedPayload({ id: 'm-1', name: 'Acme', customerService: { phone: '1' }, updatedAt })).toEqual({
      merchantId: 'm-1',
      name: 'Acme',
      customerService: { phone: '1' },
      changedAt: '2026-11-25T10:00:00.000Z',
    });
    expect(merchantUpsertedPayload({ id: 'm-1', name: 'Acme', customerService: null, updatedAt })).not.toHaveProperty('customerService');
  });
});
