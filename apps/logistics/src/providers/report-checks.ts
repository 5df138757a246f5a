import { PARCEL_STATES } from '@mallard/contracts';
import type { TrackingReport } from './tracking-report.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const PLAIN = /^[^\u0000-\u001f\u007f]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const plain = (value: unknown, max: number, allowEmpty = false): boolean =>
  typeof value === 'string' && (allowEmpty || value.length > 0) && value.length <= max && PLAIN.test(value);
const optionalUuid = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && UUID.test(value));

/**
 * Why a signed report cannot be acted on, or null. Its fields came from the provider's JSON or form,
 * so they are checked again whatever the parser claimed: ids and codes are short text without
 * control characters (PostgreSQL refuses NUL), ids of ours are UUIDs (a uuid column refuses
 * anything else), quantities whole and positive, times real.
 */
export function unusableReportReason(report: TrackingReport): string | null {
  if (!plain(report.eventKey, 255)) return 'the event id is missing or not plain text';
  if (!plain(report.providerEventType, 100)) return 'the event type is missing or not plain text';
  if (report.trackingNumber !== null && !plain(report.trackingNumber, 64))
    return 'the tracking number is not plain text of at most 64 characters';
  if (report.carrierCode !== null && !plain(report.carrierCode, 64)) return 'the carrier code is not plain text of at most 64 characters';
  if (report.providerCarrierCode !== null && !plain(report.providerCarrierCode, 64)) return 'the carrier code is not plain text';
  if (!optionalUuid(report.subOrderId)) return 'the sub-order id is not a UUID';
  if (report.purchaseRef !== undefined && !plain(report.purchaseRef, 255)) return 'the purchase reference is not plain text';
  if (report.trackingNumber === null && report.subOrderId === undefined && !report.parcels?.length)
    return 'the event names neither a tracking number nor a sub-order';
  if (
    report.carrierChange &&
    !(plain(report.carrierChange.to, 64) && (report.carrierChange.from === null || plain(report.carrierChange.from, 64)))
  )
    return 'the new carrier code is not plain text';
  for (const parcel of report.parcels ?? []) {
    if (!optionalUuid(parcel.parcelId)) return 'a parcel id is not a UUID';
    if (parcel.ref !== null && !plain(parcel.ref, 255)) return 'a parcel reference is not plain text';
    if (!plain(parcel.trackingNumber, 64)) return 'a parcel has no tracking number of plain text';
    if (!plain(parcel.carrierCode, 64)) return 'a parcel has no carrier code of plain text';
    if (parcel.parcelId === null && parcel.lines.length === 0) return 'a parcel has neither our id nor lines';
    for (const line of parcel.lines) {
      if (!plain(line.skuId, 255)) return 'a parcel line has no SKU id of plain text';
      if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) return 'a parcel line quantity is not a positive whole number';
    }
  }
  const numbers = (report.parcels ?? []).map((parcel) => `${parcel.carrierCode} ${parcel.trackingNumber}`);
  if (new Set(numbers).size !== numbers.length) return 'a tracking number is listed twice';
  for (const checkpoint of report.checkpoints) {
    if (!(checkpoint.occurredAt instanceof Date) || Number.isNaN(checkpoint.occurredAt.getTime())) return 'a checkpoint has no valid time';
    if (!plain(checkpoint.providerStatus, 100, true)) return 'a checkpoint status is not plain text';
    if (checkpoint.state !== null && !(PARCEL_STATES as readonly string[]).includes(checkpoint.state))
      return 'a checkpoint state is unknown';
    if (!plain(checkpoint.message, 2000, true)) return 'a checkpoint message is not plain text';
    if (checkpoint.location !== null && !plain(checkpoint.location, 500)) return 'a checkpoint location is not plain text';
  }
  return null;
}
