import { signTimestamped } from '@mallard/platform';
import { normaliseCarrierCode } from '../carrier-codes.js';
import { parseProviderTime } from '../provider-times.js';
import { unusableReportReason } from '../report-checks.js';
import { refuseUnlessTimestamped, type TimestampedWebhookOptions } from '../timestamped-webhook.js';
import {
  ignored,
  RECEIVED_ACK,
  type ReportedParcel,
  type TrackingReport,
  unusable,
  type WebhookAck,
  type WebhookVerdict,
} from '../tracking-report.js';
import { isObject, parcelLinesOf, parseJsonObject, textOf, type WebhookHeaders } from '../webhook-input.js';
import { isWarehouseEventType, WAREHOUSE_EVENT_MESSAGES, WAREHOUSE_EVENT_STATES } from './warehouse-states.js';

/**
 * Our warehouse system's shipment reports, in the format we define (docs/logistics-webhooks.md):
 * `warehouse-signature: t=<unix>,v1=<hex>` and `{ id, type: "shipped", occurredAt, subOrderId,
 * parcels: [{ parcelId?, carrier, trackingNumber, lines?: [{ skuId, quantity }] }] }`. A parcel packed
 * through us names its `parcelId` and may leave out its lines; one packed by the warehouse alone lists them.
 */
export const WAREHOUSE_SIGNATURE_HEADER = 'warehouse-signature';
export const WAREHOUSE_ACK: WebhookAck = RECEIVED_ACK;

export type WarehouseWebhookOptions = TimestampedWebhookOptions;

/** The header the warehouse system sends; for tests and the benchmark. */
export function signWarehouseBody(secrets: string | readonly string[], rawBody: Buffer | string, timestamp?: number): string {
  return signTimestamped(secrets, rawBody, timestamp);
}

export function verifyWarehouseWebhook(rawBody: Buffer, headers: WebhookHeaders, options: WarehouseWebhookOptions): WebhookVerdict {
  const refusal = refuseUnlessTimestamped('warehouse', WAREHOUSE_SIGNATURE_HEADER, rawBody, headers, options);
  if (refusal) return refusal;
  const body = parseJsonObject(rawBody);
  if (!body) return unusable('body is not a JSON object');
  const id = textOf(body.id);
  const type = textOf(body.type);
  if (!id || !type) return unusable('body has no id and type');
  if (!isWarehouseEventType(type)) return ignored('warehouse', id, type, 'not a shipment report');
  const occurredAt = parseProviderTime(body.occurredAt, null);
  if (!occurredAt) return unusable('occurredAt is not an ISO 8601 time with an offset');
  const subOrderId = textOf(body.subOrderId);
  if (!subOrderId) return unusable('body has no subOrderId');
  if (!Array.isArray(body.parcels) || body.parcels.length === 0) return unusable('parcels is not a non-empty list');

  const parcels: ReportedParcel[] = [];
  for (const entry of body.parcels) {
    if (!isObject(entry)) return unusable('a parcel is not an object');
    const carrier = textOf(entry.carrier);
    const trackingNumber = textOf(entry.trackingNumber);
    if (!carrier || !trackingNumber) return unusable('a parcel lacks carrier or trackingNumber');
    const parcelId = entry.parcelId === undefined || entry.parcelId === null ? null : textOf(entry.parcelId);
    if (entry.parcelId !== undefined && entry.parcelId !== null && !parcelId) return unusable('a parcelId is empty');
    const lines = entry.lines === undefined && parcelId ? [] : parcelLinesOf(entry.lines);
    if (!lines) return unusable('a parcel’s lines are not a list of { skuId, quantity }');
    parcels.push({ parcelId, ref: null, carrierCode: normaliseCarrierCode(carrier), trackingNumber, lines });
  }

  const [only] = parcels.length === 1 ? parcels : [];
  const report: TrackingReport = {
    provider: 'warehouse',
    eventKey: id,
    providerEventType: type,
    carrierCode: only?.carrierCode ?? null,
    providerCarrierCode: only ? textOf((body.parcels[0] as Record<string, unknown>).carrier) : null,
    trackingNumber: only?.trackingNumber ?? null,
    subOrderId,
    parcels,
    checkpoints: [
      { occurredAt, providerStatus: type, state: WAREHOUSE_EVENT_STATES[type], message: WAREHOUSE_EVENT_MESSAGES[type], location: null },
    ],
  };
  const reason = unusableReportReason(report);
  return reason ? unusable(reason) : { outcome: 'REPORT', report };
}
