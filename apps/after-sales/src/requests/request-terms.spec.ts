import { AFTER_SALES_REASONS } from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { isSellerAtFault, returnShippingFor } from './request-terms.js';

const SETTINGS = { RETURN_SHIPPING_SELLER_FAULT: 'MERCHANT', RETURN_SHIPPING_CHANGED_MIND: 'SHOPPER' } as const;

describe('whose fault, and who pays the return shipping', () => {
  it('holds the seller at fault for every reason but a change of mind', () => {
    expect(AFTER_SALES_REASONS.filter((reason) => !isSellerAtFault(reason))).toEqual(['CHANGED_MIND']);
  });

  it('charges a seller-fault exchange or return to the merchant, never the shopper', () => {
    for (const type of ['EXCHANGE', 'RETURN_AND_REFUND'] as const) {
      expect(returnShippingFor(type, 'DAMAGED', SETTINGS)).toMatchObject({ payer: 'MERCHANT' });
      expect(returnShippingFor(type, 'WRONG_ITEM', SETTINGS)?.explanation).toContain('merchant pays');
      expect(returnShippingFor(type, 'CHANGED_MIND', SETTINGS)).toMatchObject({ payer: 'SHOPPER' });
    }
  });

  it('follows the settings, and sends nothing back for a refund only', () => {
    const generous = { RETURN_SHIPPING_SELLER_FAULT: 'MERCHANT', RETURN_SHIPPING_CHANGED_MIND: 'MERCHANT' } as const;
    expect(returnShippingFor('RETURN_AND_REFUND', 'CHANGED_MIND', generous)).toMatchObject({ payer: 'MERCHANT' });
    expect(returnShippingFor('REFUND_ONLY', 'DAMAGED', SETTINGS)).toBeNull();
  });
});
