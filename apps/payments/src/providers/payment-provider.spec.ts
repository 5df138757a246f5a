import { describe, expect, it } from 'vitest';
import { type ProviderEvent, unusableReason } from './payment-provider.js';

const capture: ProviderEvent = {
  provider: 'alipay',
  eventId: '2026112500222100000012345678',
  providerType: 'TRADE_SUCCESS',
  kind: 'PAYMENT',
  outcome: 'SUCCEEDED',
  paymentSerial: 'P20261125000000077',
  providerRef: '2026112522001424330501234567',
  amountMinor: 12_345,
  currency: 'CNY',
};

describe('unusableReason: a verified event PostgreSQL or the amount check could not use', () => {
  it('accepts a well-formed capture and an event about nothing', () => {
    expect(unusableReason(capture)).toBeNull();
    expect(
      unusableReason({
        ...capture,
        kind: 'OTHER',
        outcome: 'PENDING',
        paymentSerial: null,
        providerRef: null,
        amountMinor: null,
        currency: null,
      }),
    ).toBeNull();
  });

  it('refuses NUL and control characters in every id, whatever the provider', () => {
    for (const field of ['eventId', 'providerType', 'paymentSerial', 'providerRef'] as const) {
      expect(unusableReason({ ...capture, [field]: 'abc\u0000' }), field).not.toBeNull();
      expect(unusableReason({ ...capture, [field]: 'a\nb' }), field).not.toBeNull();
    }
    expect(unusableReason({ ...capture, eventId: '' })).not.toBeNull();
    expect(unusableReason({ ...capture, eventId: 'x'.repeat(256) })).not.toBeNull();
  });

  it('refuses fields of the wrong type that a signed JSON body can carry', () => {
    expect(unusableReason({ ...capture, currency: 7 as unknown as string })).not.toBeNull();
    expect(unusableReason({ ...capture, currency: 'cny' })).not.toBeNull();
    expect(unusableReason({ ...capture, amountMinor: '12345' as unknown as number })).not.toBeNull();
    expect(unusableReason({ ...capture, amountMinor: 1.5 })).not.toBeNull();
    expect(unusableReason({ ...capture, eventId: { id: 1 } as unknown as string })).not.toBeNull();
  });

  it('fails closed on a capture without its amount or currency', () => {
    expect(unusableReason({ ...capture, amountMinor: null })).not.toBeNull();
    expect(unusableReason({ ...capture, currency: null })).not.toBeNull();
    expect(unusableReason({ ...capture, outcome: 'FAILED', amountMinor: null })).toBeNull();
  });
});
