import { createHmac } from 'node:crypto';
import { normaliseCarrierCode } from '../carrier-codes.js';
import { placeCurrentState } from '../current-state.js';
import { parseProviderTime } from '../provider-times.js';
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
import { cleanText, headerOf, isObject, placeOf, textOf, type WebhookHeaders } from '../webhook-input.js';
import { EasyPostClient } from './easypost-client.js';
import { easyPostState } from './easypost-states.js';

/**
 * EasyPost webhooks, checked by the official package: `X-Hmac-Signature: hmac-sha256-hex=<hex>`, the
 * HMAC-SHA256 of the body with the NFKD-normalised secret. Only tracker events are applied; any other
 * verified event is acknowledged and ignored.
 *
 * The package's `validateWebhook` rewrites `"weight": 16` to `"weight": 16.0` before hashing (EasyPost
 * writes weights as floats), and its JSON parse failing counts as a signature mismatch: a signed body
 * that is not JSON is therefore refused as not EasyPost's (401), never as unusable.
 */
export const EASYPOST_SIGNATURE_HEADER = 'x-hmac-signature';
export const EASYPOST_ACK: WebhookAck = RECEIVED_ACK;
export const EASYPOST_TRACKER_EVENTS: readonly string[] = ['tracker.updated', 'tracker.created'];

/** `Utils.validateWebhook` of @easypost/api: the parsed event, or it throws SignatureVerificationError. */
export type EasyPostWebhookValidator = (rawBody: Buffer, headers: Record<string, string>, secret: string) => unknown;

export interface EasyPostWebhookOptions {
  /** The webhook secret, and during a rotation the previous one; empty: EasyPost is not configured. */
  secrets: readonly string[];
  /** Defaults to a client of its own (see easyPostWebhookValidator). */
  validate?: EasyPostWebhookValidator;
}

let ownClient: EasyPostClient | undefined;

/**
 * The package's validation through `client` (the service's tracker client, when it has one). The
 * package's types declare `Utils.validateWebhook` static, but it is an instance method of
 * `client.Utils`. Checking a webhook needs no API key, yet the constructor demands one: a placeholder
 * keeps the client constructible, and it never makes a request.
 */
export function easyPostWebhookValidator(client?: EasyPostClient): EasyPostWebhookValidator {
  if (!client) ownClient ??= new EasyPostClient('webhook-validation-only');
  const easypost = client ?? ownClient!;
  return (rawBody, headers, secret) => easypost.Utils.validateWebhook(rawBody, headers, secret);
}

/** What `validateWebhook` accepts (EasyPost's own signature, for tests and the benchmark): integer weights hashed as floats. */
export function signEasyPostBody(secret: string, rawBody: Buffer | string): string {
  const hashed = Buffer.from(rawBody)
    .toString('utf8')
    .replace(/("weight":\s*)(\d+)(\s*)(?=,|\})/g, '$1$2.0');
  return `hmac-sha256-hex=${createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(hashed, 'utf8')
    .digest('hex')}`;
}

export function verifyEasyPostWebhook(rawBody: Buffer, headers: WebhookHeaders, options: EasyPostWebhookOptions): WebhookVerdict {
  const secrets = options.secrets.filter((secret) => secret.length > 0);
  if (secrets.length === 0) return signatureInvalid('easypost webhooks are not configured');
  const signature = headerOf(headers, EASYPOST_SIGNATURE_HEADER);
  if (!signature) return signatureInvalid('no X-Hmac-Signature header');
  const validate = options.validate ?? easyPostWebhookValidator();
  let event: unknown;
  let verified = false;
  for (const secret of secrets) {
    try {
      event = validate(rawBody, { [EASYPOST_SIGNATURE_HEADER]: signature }, secret);
      verified = true;
      break;
    } catch {
      // Not this secret; a rotation may have another.
    }
  }
  if (!verified) return signatureInvalid('easypost signature rejected');
  return parseEasyPostEvent(event);
}

function parseEasyPostEvent(event: unknown): WebhookVerdict {
  if (!isObject(event)) return unusable('body is not a JSON object');
  const eventId = textOf(event.id);
  const description = textOf(event.description);
  if (!eventId || !description) return unusable('event has no id or description');
  if (!EASYPOST_TRACKER_EVENTS.includes(description)) return ignored('easypost', eventId, description, 'not a tracker event');
  const tracker = event.result;
  if (!isObject(tracker) || tracker.object !== 'Tracker') return unusable('tracker event without a Tracker');
  const trackingCode = textOf(tracker.tracking_code);
  const carrier = textOf(tracker.carrier);
  const status = textOf(tracker.status);
  if (!trackingCode || !carrier || !status) return unusable('tracker lacks tracking_code, carrier or status');
  if (tracker.tracking_details !== undefined && tracker.tracking_details !== null && !Array.isArray(tracker.tracking_details))
    return unusable('tracking_details is not a list');

  const history: TrackingCheckpoint[] = [];
  for (const detail of (tracker.tracking_details as unknown[] | undefined) ?? []) {
    if (!isObject(detail)) continue;
    // A line without a readable time cannot be ordered; dropping it loses less than refusing the event.
    const occurredAt = parseProviderTime(detail.datetime, 'Z');
    if (!occurredAt) continue;
    const place = isObject(detail.tracking_location) ? detail.tracking_location : {};
    history.push({
      occurredAt,
      providerStatus: cleanText(detail.status, 100),
      state: null,
      message: cleanText(detail.message) || cleanText(detail.description),
      location: placeOf(place.city, place.state, place.country, place.zip),
    });
  }

  const report: TrackingReport = {
    provider: 'easypost',
    eventKey: eventId,
    providerEventType: description,
    carrierCode: normaliseCarrierCode(carrier, 'easypost'),
    providerCarrierCode: carrier,
    trackingNumber: trackingCode,
    checkpoints: placeCurrentState(history, {
      providerStatus: cleanText(status, 100),
      state: easyPostState(status),
      message: cleanText(tracker.status_detail) || status,
      fallbackAt: parseProviderTime(tracker.updated_at, 'Z') ?? parseProviderTime(event.created_at, 'Z'),
    }),
  };
  const reason = unusableReportReason(report);
  return reason ? unusable(reason) : { outcome: 'REPORT', report };
}
