import type { ProviderEvent } from '../providers/payment-provider.js';

/**
 * A verified provider capture: what Alipay's TRADE_SUCCESS notification for P20261125000000077
 * (123.45 CNY, as alipay.provider.spec.ts signs it) normalises to. Specs of what every provider
 * hands on take it as the well-formed event to spoil.
 */
export const ALIPAY_CAPTURE: ProviderEvent = {
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
