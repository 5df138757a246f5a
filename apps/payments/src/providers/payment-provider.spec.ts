import { describe, expect, it } from 'vitest';
import { ALIPAY_CAPTURE } from '../testing/provider-events.js';
import { eventAboutNothing, unusableReason } from './payment-provider.js';

const capture = ALIPAY_CAPTURE;

describe('unusableReason: a verified event PostgreSQL or the amount check could not use', () => {
  it('accepts a well-formed capture and an event about nothing', () => {
    expect(unusableReason(capture)).toBeNull();
    expect(unusableReason(eventAboutNothing(capture.provider, capture.eventId, capture.providerType))).toBeNull();
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
