import type { ParcelState } from '@mallard/contracts';

/** AfterShip's delivery statuses (`tag`), as its webhooks send them. */
export const AFTERSHIP_TAGS = [
  'Pending',
  'InfoReceived',
  'InTransit',
  'OutForDelivery',
  'AttemptFail',
  'AvailableForPickup',
  'Delivered',
  'Exception',
  'Expired',
] as const;
export type AfterShipTag = (typeof AFTERSHIP_TAGS)[number];

/** Each tag's state. Pending means AfterShip has no information yet: history only. */
export const AFTERSHIP_TAG_STATES: Readonly<Record<AfterShipTag, ParcelState | null>> = {
  Pending: null,
  InfoReceived: 'LABEL_CREATED',
  InTransit: 'IN_TRANSIT',
  OutForDelivery: 'OUT_FOR_DELIVERY',
  AttemptFail: 'DELIVERY_FAILED',
  AvailableForPickup: 'AVAILABLE_FOR_PICKUP',
  Delivered: 'DELIVERED',
  Exception: 'EXCEPTION',
  Expired: 'EXCEPTION',
};

/**
 * Sub-statuses (`subtag`, from AfterShip's "Delivery Sub-statuses" table) that say more than their tag:
 * an exception that is really a refusal, a return or a loss. Every other subtag takes its tag's state.
 */
export const AFTERSHIP_SUBTAG_STATES: Readonly<Record<string, ParcelState>> = {
  Exception_003: 'REJECTED', // customer refused delivery
  Exception_010: 'RETURNING', // returning to sender
  Exception_011: 'RETURNED_TO_SENDER', // returned to sender
  Exception_013: 'LOST', // shipment lost
};

export function isAfterShipTag(tag: string): tag is AfterShipTag {
  return (AFTERSHIP_TAGS as readonly string[]).includes(tag);
}

/** The state of a tag and its subtag; null for Pending and for a tag AfterShip may add later. */
export function afterShipState(tag: string, subtag?: string | null): ParcelState | null {
  if (!isAfterShipTag(tag)) return null;
  const refined = subtag?.startsWith(`${tag}_`) ? AFTERSHIP_SUBTAG_STATES[subtag] : undefined;
  return refined ?? AFTERSHIP_TAG_STATES[tag];
}
