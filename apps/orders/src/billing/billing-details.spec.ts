import { ORDER_STATES } from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { billingChangeRefusal, billingDetailsOf, sameBillingDetails } from './billing-details.js';

describe('billing details', () => {
  it('fill in China as the country and keep a missing tax id as null', () => {
    expect(billingDetailsOf({ type: 'PERSONAL', title: 'Han Meimei', email: 'han@example.com' })).toEqual({
      type: 'PERSONAL',
      title: 'Han Meimei',
      taxId: null,
      country: 'CN',
      email: 'han@example.com',
    });
    expect(billingDetailsOf({ type: 'COMPANY', title: 'T', taxId: 'DE123456789', country: 'DE', email: 'a@b.example' })).toMatchObject({
      taxId: 'DE123456789',
      country: 'DE',
    });
  });

  it('are the same only when every field is', () => {
    const details = billingDetailsOf({ type: 'COMPANY', title: 'T', taxId: '91350100M000100Y43', email: 'a@b.example' });
    expect(sameBillingDetails(details, { ...details })).toBe(true);
    for (const change of [{ type: 'PERSONAL' as const }, { title: 'U' }, { taxId: null }, { country: 'DE' }, { email: 'c@b.example' }]) {
      expect(sameBillingDetails(details, { ...details, ...change }), JSON.stringify(change)).toBe(false);
    }
  });

  it('change in every state but a closed one, until an invoice locks them', () => {
    const open = { lockedAt: null };
    const refusals = Object.fromEntries(ORDER_STATES.map((state) => [state, billingChangeRefusal(state, open)]));
    expect(refusals).toEqual({
      PLACED: null,
      AWAITING_PAYMENT: null,
      PAID: null,
      SPLIT: null,
      CANCELLED: 'ORDER_CANCELLED',
      FAILED: 'ORDER_FAILED',
    });
    expect(billingChangeRefusal('PLACED', null)).toBeNull();
    expect(billingChangeRefusal('SPLIT', { lockedAt: new Date() })).toBe('INVOICE_ISSUED');
  });
});
