import { verifyTimestamped } from '@mallard/platform';
import { signatureInvalid, type WebhookVerdict } from './tracking-report.js';
import { headerOf, type WebhookHeaders } from './webhook-input.js';

/**
 * The signature of the formats we define (platform, warehouse): the shared timestamped scheme of
 * libs/platform, `<name>-signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=…]`.
 */
export interface TimestampedWebhookOptions {
  /** The secret, and during a rotation the previous one; empty: the sender is not configured. */
  secrets: readonly string[];
  /** How far the signed time may be from ours (WEBHOOK_TOLERANCE_SECONDS, 300 by default). */
  toleranceSeconds: number;
  /** For tests. */
  nowSeconds?: number;
}

/** The refusal, or null when `rawBody` is signed as it should be. */
export function refuseUnlessTimestamped(
  sender: string,
  headerName: string,
  rawBody: Buffer,
  headers: WebhookHeaders,
  options: TimestampedWebhookOptions,
): WebhookVerdict | null {
  const check = verifyTimestamped(options.secrets, headerOf(headers, headerName), rawBody, options.toleranceSeconds, options.nowSeconds);
  return check.ok ? null : signatureInvalid(`${sender}: ${check.reason}`);
}
