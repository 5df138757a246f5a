import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A webhook signature with a signed timestamp, modelled on Stripe's: a header
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=<hex>…]`.
 * Signing the timestamp bounds replays to the tolerance, and the event id's dedupe takes care of
 * repeats inside it. Several `v1` values and several secrets let a secret be rotated: the sender
 * signs with the new and the old one, the receiver accepts either for a while.
 * Used by the payments sandbox and by the platform and warehouse formats of logistics.
 */
export type TimestampedSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

const secretsOf = (secrets: string | readonly string[]): string[] =>
  (typeof secrets === 'string' ? [secrets] : [...secrets]).filter((secret) => secret.length > 0);

const mac = (secret: string, timestamp: number, rawBody: Buffer | string): string =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');

/** The header value for `rawBody`, one `v1` per secret (the current one first). */
export function signTimestamped(
  secrets: string | readonly string[],
  rawBody: Buffer | string,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  const signatures = secretsOf(secrets).map((secret) => `v1=${mac(secret, timestamp, rawBody)}`);
  if (signatures.length === 0) throw new Error('signTimestamped needs a secret');
  return [`t=${timestamp}`, ...signatures].join(',');
}

/**
 * Whether `header` signs exactly `rawBody` with one of `secrets`, at a time within
 * `toleranceSeconds` of `nowSeconds`. Compares in constant time; never throws.
 */
export function verifyTimestamped(
  secrets: string | readonly string[],
  header: string | undefined,
  rawBody: Buffer,
  toleranceSeconds: number,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): TimestampedSignatureCheck {
  const keys = secretsOf(secrets);
  if (keys.length === 0) return { ok: false, reason: 'no webhook secret is configured' };
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const stamps = parts.filter(([key]) => key === 't');
  const timestamp = stamps.length === 1 && /^\d{1,12}$/.test(stamps[0][1] ?? '') ? Number(stamps[0][1]) : Number.NaN;
  const signatures = parts.filter(([key, value]) => key === 'v1' && value).map(([, value]) => Buffer.from(value, 'utf8'));
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'signature timestamp outside the tolerance' };
  const expected = keys.map((secret) => Buffer.from(mac(secret, timestamp, rawBody), 'utf8'));
  const matches = signatures.some((given) => expected.some((wanted) => given.length === wanted.length && timingSafeEqual(given, wanted)));
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'signature does not match' };
}
