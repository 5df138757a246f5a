import { signTimestamped } from '@mallard/platform';
import { normaliseCarrierCode } from '../carrier-codes.js';
import { parseProviderTime } from '../provider-times.js';
import { unusableReportReason } from '../report-checks.js';
import { refuseUnlessTimestamped, type TimestampedWebhookOptions } from '../timestamped-webhook.js';
import { ignored, RECEIVED_ACK, type TrackingReport, unusable, type WebhookAck, type WebhookVerdict } from '../tracking-report.js';
import { isObject, parcelLinesOf, parseJsonObject, textOf, type WebhookHeaders } from '../webhook-input.js';
import { isPlatformParcelStatus, PLATFORM_STATUS_MESSAGES, PLATFORM_STATUS_STATES } from './platform-states.js';

/**
 * The third-party platform's parcel updates, in the format we define (docs/logistics-webhooks.md):
 * `platform-signature: t=<unix>,v1=<hex>` and `{ id, type: "parcel.status", occurredAt, subOrderId,
 * purchaseRef, parcel: { ref, carrier, trackingNumber, status, lines: [{ skuId, quantity }] } }`.
 */
export const PLATFORM_SIGNATURE_HEADER = 'platform-signature';
export const PLATFORM_EVENT_TYPE = 'parcel.status';
export const PLATFORM_ACK: WebhookAck = RECEIVED_ACK;

export type PlatformWebhookOptions = TimestampedWebhookOptions;

/** The header the platform sends; for tests, the benchmark and a local platform simulator. */
export function signPlatformBody(secrets: string | readonly string[], rawBody: Buffer | string, timestamp?: number): string {
  return signTimestamped(secrets, rawBody, timestamp);
}

export function verifyPlatformWebhook(rawBody: Buffer, headers: WebhookHeaders, options: PlatformWebhookOptions): WebhookVerdict {
  const refusal = refuseUnlessTimestamped('platform', PLATFORM_SIGNATURE_HEADER, rawBody, headers, options);
  if (refusal) return refusal;
  const body = parseJsonObject(rawBody);
  if (!body) return unusable('body is not a JSON object');
  const id = textOf(body.id);
  const type = textOf(body.type);
  if (!id || !type) return unusable('body has no id and type');
  if (type !== PLATFORM_EVENT_TYPE) return ignored('platform', id, type, 'not a parcel status');
  const occurredAt = parseProviderTime(body.occurredAt, null);
  if (!occurredAt) return unusable('occurredAt is not an ISO 8601 time with an offset');
  const subOrderId = textOf(body.subOrderId);
  const purchaseRef = textOf(body.purchaseRef);
  const parcel = body.parcel;
  if (!subOrderId || !purchaseRef || !isObject(parcel)) return unusable('body lacks subOrderId, purchaseRef or parcel');
  const ref = textOf(parcel.ref);
  const carrier = textOf(parcel.carrier);
  const trackingNumber = textOf(parcel.trackingNumber);
  if (!ref || !carrier || !trackingNumber) return unusable('parcel lacks ref, carrier or trackingNumber');
  if (!isPlatformParcelStatus(parcel.status)) return unusable('parcel.status is not AWAITING_RECEIPT, RECEIVED or REJECTED');
  const lines = parcelLinesOf(parcel.lines);
  if (!lines?.length) return unusable('parcel.lines is not a non-empty list of { skuId, quantity }');

  const carrierCode = normaliseCarrierCode(carrier);
  const report: TrackingReport = {
    provider: 'platform',
    eventKey: id,
    providerEventType: type,
    carrierCode,
    providerCarrierCode: carrier,
    trackingNumber,
    subOrderId,
    purchaseRef,
    parcels: [{ parcelId: null, ref, carrierCode, trackingNumber, lines }],
    checkpoints: [
      {
        occurredAt,
        providerStatus: parcel.status,
        state: PLATFORM_STATUS_STATES[parcel.status],
        message: PLATFORM_STATUS_MESSAGES[parcel.status],
        location: null,
      },
    ],
  };
  const reason = unusableReportReason(report);
  return reason ? unusable(reason) : { outcome: 'REPORT', report };
}
