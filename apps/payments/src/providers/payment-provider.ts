import type { PaymentProviderName } from '@mallard/contracts';
import type { ProviderOutcome } from '../payment-log/payment-state.js';

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

/** A verified event about no charge (a type payments does not act on): acknowledged and ignored. */
export function eventAboutNothing(provider: PaymentProviderName, eventId: string, providerType: string): ProviderEvent {
  return {
    provider,
    eventId,
    providerType,
    kind: 'OTHER',
    outcome: 'PENDING',
    paymentSerial: null,
    providerRef: null,
    amountMinor: null,
    currency: null,
  };
}

/** What the provider expects back once a callback was accepted. */
export interface CallbackAck {
  contentType: string;
  body: string;
}

/**
 * A verified event; or a refusal: by default the callback is not the provider's (401), with
 * `unusable` it is the provider's but cannot be acted on (400, malformed or missing fields).
 * Either refusal changes nothing.
 */
export type VerifiedCallback = { ok: true; event: ProviderEvent } | { ok: false; reason: string; unusable?: true };

export function unusableCallback(reason: string): VerifiedCallback {
  return { ok: false, reason, unusable: true };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const TEXT_ID = /^[^\u0000-\u001f\u007f]{1,255}$/;

/**
 * Why a verified event cannot be acted on, or null. Its fields came from the provider's JSON or
 * form, so their types are checked again here, whatever the provider's parser claimed: ids are
 * short text without NUL or control characters (PostgreSQL refuses NUL), an amount is a whole
 * number, a currency three capitals. A capture must say its amount and currency: without them
 * the amount check could not run, so it fails closed.
 */
export function unusableReason(event: ProviderEvent): string | null {
  const text = (value: unknown, nullable: boolean) => (value === null ? nullable : typeof value === 'string' && TEXT_ID.test(value));
  if (!text(event.eventId, false)) return 'the event id is missing or not plain text';
  if (!text(event.providerType, false)) return 'the event type is missing or not plain text';
  if (!text(event.paymentSerial, true)) return 'the merchant reference is not plain text';
  if (!text(event.providerRef, true)) return 'the provider reference is not plain text';
  if (event.amountMinor !== null && !(Number.isSafeInteger(event.amountMinor) && event.amountMinor >= 0))
    return 'the amount is not a whole number of minor units';
  if (event.currency !== null && !(typeof event.currency === 'string' && /^[A-Z]{3}$/.test(event.currency)))
    return 'the currency is not an ISO 4217 code';
  if (event.kind === 'PAYMENT' && event.outcome === 'SUCCEEDED' && (event.amountMinor === null || event.currency === null)) {
    return 'a capture without its amount and currency cannot be checked';
  }
  return null;
}

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
