import type { ParcelState } from '@mallard/contracts';

/** The marketplace's parcel statuses in our platform format (docs/logistics-webhooks.md). */
export const PLATFORM_PARCEL_STATUSES = ['AWAITING_RECEIPT', 'RECEIVED', 'REJECTED'] as const;
export type PlatformParcelStatus = (typeof PLATFORM_PARCEL_STATUSES)[number];

/** AWAITING_RECEIPT is the platform's "shipped": the parcel is with a carrier, and appears on our side. */
export const PLATFORM_STATUS_STATES: Readonly<Record<PlatformParcelStatus, ParcelState>> = {
  AWAITING_RECEIPT: 'IN_TRANSIT',
  RECEIVED: 'DELIVERED',
  REJECTED: 'REJECTED',
};

export const PLATFORM_STATUS_MESSAGES: Readonly<Record<PlatformParcelStatus, string>> = {
  AWAITING_RECEIPT: 'Shipped by the platform, awaiting receipt',
  RECEIVED: 'Received by the shopper',
  REJECTED: 'Rejected by the shopper',
};

export function isPlatformParcelStatus(status: unknown): status is PlatformParcelStatus {
  return typeof status === 'string' && (PLATFORM_PARCEL_STATUSES as readonly string[]).includes(status);
}
