import { createHash } from 'node:crypto';
import type { ParcelState } from '@mallard/contracts';

/**
 * What a carrier or platform webhook says once verified and normalised, whatever the provider's
 * format (docs/logistics-webhooks.md). The service applies it; nothing here touches a database.
 */
export const TRACKING_PROVIDERS = ['aftership', 'kuaidi100', 'easypost', 'platform', 'warehouse'] as const;
export type TrackingProviderName = (typeof TRACKING_PROVIDERS)[number];

export function isTrackingProvider(name: string): name is TrackingProviderName {
  return (TRACKING_PROVIDERS as readonly string[]).includes(name);
}

/** One line of a parcel's tracking history. */
export interface TrackingCheckpoint {
  /** When it happened, by the provider's clock (never when we received it). */
  occurredAt: Date;
  /** The provider's own word for it (`InTransit_002`, `in_transit`, `签收`, `RECEIVED`); may be empty. */
  providerStatus: string;
  /** The normalised state it puts the parcel in; null: history only, it never moves the parcel. */
  state: ParcelState | null;
  message: string;
  location: string | null;
}

export interface ReportedParcelLine {
  skuId: string;
  quantity: number;
}

/** A parcel the platform or our warehouse says it handed to a carrier: it may not exist on our side yet. */
export interface ReportedParcel {
  /** Our parcel's id, when the warehouse packed it through us. */
  parcelId: string | null;
  /** The platform's own reference of the parcel. */
  ref: string | null;
  /** Our carrier code (carrier-codes.ts). */
  carrierCode: string;
  trackingNumber: string;
  /** Empty when `parcelId` is given: the parcel already knows its lines. */
  lines: ReportedParcelLine[];
}

export interface TrackingReport {
  provider: TrackingProviderName;
  /** The provider's id of this notification, stable across its re-sends: the dedupe key of the whole webhook. */
  eventKey: string;
  /** The provider's event type (`tracking_update`, `tracker.updated`, `polling`, `parcel.status`, `shipped`). */
  providerEventType: string;
  /** Our carrier code of the one parcel the report is about; null when it names none or several (`parcels`). */
  carrierCode: string | null;
  /** The carrier code as the provider wrote it (`sf-express`, `shunfeng`, `FedEx`). */
  providerCarrierCode: string | null;
  trackingNumber: string | null;
  /** Platform and warehouse reports are about one of our sub-orders. */
  subOrderId?: string;
  /** Platform: its purchase the parcel belongs to. */
  purchaseRef?: string;
  /** Platform and warehouse: the parcels handed over; the checkpoints apply to each of them. */
  parcels?: ReportedParcel[];
  /** In any order; several may say a state, the never-backwards rule picks (parcels/parcel-states.ts). */
  checkpoints: TrackingCheckpoint[];
  /** Kuaidi100: the tracking is finished on the provider's side (`ischeck` 1). */
  finished?: boolean;
  /** Kuaidi100: the subscription's state (`polling`, `shutdown`, `abort`, `updateall`), and why. */
  subscription?: { status: string; message: string | null };
  /** Kuaidi100: the provider corrected the carrier code (`comOld` → `comNew`), or it went to another carrier. */
  carrierChange?: { from: string | null; to: string };
}

/**
 * A verified webhook's outcome:
 * - `REPORT`: a report to apply (answer 2xx with the provider's acknowledgement);
 * - `IGNORED`: verified, but about nothing logistics tracks (answer 2xx, record it);
 * - `REFUSED`: `SIGNATURE_INVALID` when it cannot be shown to come from the provider (bad or missing
 *   signature, provider not configured: 401 `webhook-signature-invalid`), `UNUSABLE` when it is signed
 *   but cannot be acted on (400 `webhook-unusable`). A refusal changes nothing.
 */
export type WebhookRefusal = 'SIGNATURE_INVALID' | 'UNUSABLE';

export type WebhookVerdict =
  | { outcome: 'REPORT'; report: TrackingReport }
  | { outcome: 'IGNORED'; provider: TrackingProviderName; eventKey: string; providerEventType: string; reason: string }
  | { outcome: 'REFUSED'; refusal: WebhookRefusal; reason: string };

export const signatureInvalid = (reason: string): WebhookVerdict => ({ outcome: 'REFUSED', refusal: 'SIGNATURE_INVALID', reason });

export const unusable = (reason: string): WebhookVerdict => ({ outcome: 'REFUSED', refusal: 'UNUSABLE', reason });

export const ignored = (provider: TrackingProviderName, eventKey: string, providerEventType: string, reason: string): WebhookVerdict => ({
  outcome: 'IGNORED',
  provider,
  eventKey,
  providerEventType,
  reason,
});

/** What the provider expects back once a webhook was accepted. */
export interface WebhookAck {
  contentType: string;
  body: string;
}

export const RECEIVED_ACK: WebhookAck = { contentType: 'application/json', body: '{"received":true}' };

/**
 * A checkpoint's identity within its parcel: sha256 of provider, time, provider status and message.
 * A provider that re-sends its whole history (Kuaidi100 does, every time) thus adds each line once.
 */
export function checkpointDedupeKey(provider: TrackingProviderName, checkpoint: TrackingCheckpoint): string {
  const identity = JSON.stringify([provider, checkpoint.occurredAt.toISOString(), checkpoint.providerStatus, checkpoint.message]);
  return createHash('sha256').update(identity, 'utf8').digest('hex');
}
