import type { PaymentProviderName } from '@mallard/contracts';
import type { ProviderOutcome } from '../payment/payment-state.js';

/** A provider callback, verified and reduced to what payments acts on. */
export interface ProviderEvent {
  provider: PaymentProviderName;
  /** The provider's own id of this notification; a repeat carries the same one. */
  eventId: string;
  /** Its type as the provider named it (`payment_intent.succeeded`, `TRADE_SUCCESS`…). */
  providerType: string;
  /** PAYMENT: about a charge; OTHER: acknowledged and ignored. */
  kind: 'PAYMENT' | 'OTHER';
  outcome: ProviderOutcome;
  /** Our payment's serial number, as we gave it to the provider. */
  paymentSerial: string | null;
  /** The provider's reference of the charge (intent id, trade_no). */
  providerRef: string | null;
  amountMinor: number | null;
  currency: string | null;
}

/** What the provider expects back once a callback was accepted. */
export interface CallbackAck {
  contentType: string;
  body: string;
}

export type VerifiedCallback = { ok: true; event: ProviderEvent } | { ok: false; reason: string };

export interface IntentRequest {
  paymentId: string;
  serial: string;
  orderId: string;
  amountMinor: number;
  currency: string;
}

export interface Intent {
  /** Known at once for stripe and sandbox; alipay tells its trade_no in the notification. */
  providerRef: string | null;
  /** What the front end needs to let the shopper pay (client secret, redirect URL…). */
  clientAction: Record<string, unknown>;
}

export interface ProviderRefundRequest {
  refundSerial: string;
  paymentSerial: string;
  providerRef: string | null;
  amountMinor: number;
  currency: string;
}

export type ProviderRefundResult = { status: 'SUCCEEDED'; providerRef: string | null } | { status: 'REFUSED'; detail: string };

/**
 * One external payment provider. Clients are built on first use and only when configured, so
 * a service without provider keys starts and runs (that provider is just not offered).
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  readonly ack: CallbackAck;
  /** Configured and allowed to take payments in this currency. */
  accepts(currency: string): boolean;
  /** Checks the signature over the exact bytes received; a forgery is a rejection, never an event. */
  verifyCallback(rawBody: Buffer, headers: Record<string, string | undefined>): Promise<VerifiedCallback>;
  /** Idempotent by the payment: asking twice for one payment starts one charge. */
  createIntent(request: IntentRequest): Promise<Intent>;
  /** Idempotent by the refund serial. Throws on a transient failure (retried later). */
  refund(request: ProviderRefundRequest): Promise<ProviderRefundResult>;
}

/** Major-unit decimal strings ("12.30") ↔ minor units, exactly, for 2-decimal currencies. */
export function minorToDecimal(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function decimalToMinor(text: string): number | null {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function headerOf(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
