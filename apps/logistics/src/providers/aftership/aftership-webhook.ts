import { createHmac, timingSafeEqual } from 'node:crypto';
import { normaliseCarrierCode } from '../carrier-codes.js';
import { placeCurrentState } from '../current-state.js';
import { fromUnixSeconds, parseProviderTime } from '../provider-times.js';
import { unusableReportReason } from '../report-checks.js';
import {
  ignored,
  RECEIVED_ACK,
  signatureInvalid,
  type TrackingCheckpoint,
  type TrackingReport,
  unusable,
  type WebhookAck,
  type WebhookVerdict,
} from '../tracking-report.js';
import { cleanText, headerOf, isObject, parseJsonObject, placeOf, textOf, type WebhookHeaders } from '../webhook-input.js';
import { afterShipState } from './aftership-states.js';

/**
 * AfterShip tracking webhooks: `aftership-hmac-sha256` is the base64 HMAC-SHA256 of the raw body with
 * the webhook secret; the body is `{ ts, event: "tracking_update", event_id, is_tracking_first_tag,
 * msg: { tracking_number, slug, tag, subtag, checkpoints: [...] } }`. AfterShip's SDK has no helper
 * for this check, so it is done here with node:crypto.
 */
export const AFTERSHIP_SIGNATURE_HEADER = 'aftership-hmac-sha256';
export const AFTERSHIP_ACK: WebhookAck = RECEIVED_ACK;

export interface AfterShipWebhookOptions {
  /** The webhook secret, and during a rotation the previous one; empty: AfterShip is not configured. */
  secrets: readonly string[];
}

/** What AfterShip does on its side; for tests and the benchmark. */
export function signAfterShipBody(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

function signedByAfterShip(rawBody: Buffer, header: string, secrets: readonly string[]): boolean {
  const given = Buffer.from(header.trim(), 'base64');
  return secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export function verifyAfterShipWebhook(rawBody: Buffer, headers: WebhookHeaders, options: AfterShipWebhookOptions): WebhookVerdict {
  const secrets = options.secrets.filter((secret) => secret.length > 0);
  if (secrets.length === 0) return signatureInvalid('aftership webhooks are not configured');
  const header = headerOf(headers, AFTERSHIP_SIGNATURE_HEADER);
  if (!header) return signatureInvalid('no aftership-hmac-sha256 header');
  if (!signedByAfterShip(rawBody, header, secrets)) return signatureInvalid('aftership signature does not match');
  return parseAfterShipBody(rawBody);
}

function parseAfterShipBody(rawBody: Buffer): WebhookVerdict {
  const body = parseJsonObject(rawBody);
  if (!body) return unusable('body is not a JSON object');
  const eventId = textOf(body.event_id);
  const event = textOf(body.event);
  if (!eventId || !event) return unusable('body has no event and event_id');
  if (event !== 'tracking_update') return ignored('aftership', eventId, event, 'not a tracking update');
  const msg = body.msg;
  if (!isObject(msg)) return unusable('tracking update without msg');
  const trackingNumber = textOf(msg.tracking_number);
  const slug = textOf(msg.slug);
  const tag = textOf(msg.tag);
  if (!trackingNumber || !slug || !tag) return unusable('msg lacks tracking_number, slug or tag');
  if (msg.checkpoints !== undefined && msg.checkpoints !== null && !Array.isArray(msg.checkpoints))
    return unusable('msg.checkpoints is not a list');
  const sentAt = fromUnixSeconds(body.ts);

  const history: TrackingCheckpoint[] = [];
  for (const entry of (msg.checkpoints as unknown[] | undefined) ?? []) {
    if (!isObject(entry)) continue;
    // A line without a readable time cannot be ordered; dropping it loses less than refusing the update.
    const occurredAt = parseProviderTime(entry.checkpoint_time, 'Z');
    if (!occurredAt) continue;
    history.push({
      occurredAt,
      providerStatus: cleanText(textOf(entry.subtag) ?? textOf(entry.tag) ?? '', 100),
      state: null,
      message: cleanText(entry.message ?? entry.subtag_message),
      location: textOf(entry.location)
        ? cleanText(entry.location, 500)
        : placeOf(entry.city, entry.state, entry.country_region_name ?? entry.country_name ?? entry.country_region ?? entry.country_iso3),
    });
  }
  if (history.length === 0 && !sentAt) return unusable('no checkpoint time and no ts');

  const subtag = textOf(msg.subtag);
  const report: TrackingReport = {
    provider: 'aftership',
    eventKey: eventId,
    providerEventType: event,
    carrierCode: normaliseCarrierCode(slug, 'aftership'),
    providerCarrierCode: slug,
    trackingNumber,
    checkpoints: placeCurrentState(history, {
      providerStatus: cleanText(subtag ?? tag, 100),
      state: afterShipState(tag, subtag),
      message: cleanText(msg.subtag_message) || tag,
      fallbackAt: sentAt,
    }),
  };
  const reason = unusableReportReason(report);
  return reason ? unusable(reason) : { outcome: 'REPORT', report };
}
