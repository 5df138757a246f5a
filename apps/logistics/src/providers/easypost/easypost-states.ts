import type { ParcelState } from '@mallard/contracts';

/** EasyPost's tracker statuses (`result.status`). */
export const EASYPOST_STATUSES = [
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'available_for_pickup',
  'return_to_sender',
  'failure',
  'cancelled',
  'error',
  'unknown',
] as const;
export type EasyPostStatus = (typeof EASYPOST_STATUSES)[number];

/** `unknown` says nothing yet: history only. A cancelled label or a carrier error needs a person: EXCEPTION. */
export const EASYPOST_STATUS_STATES: Readonly<Record<EasyPostStatus, ParcelState | null>> = {
  pre_transit: 'LABEL_CREATED',
  in_transit: 'IN_TRANSIT',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivered: 'DELIVERED',
  available_for_pickup: 'AVAILABLE_FOR_PICKUP',
  return_to_sender: 'RETURNING',
  failure: 'DELIVERY_FAILED',
  cancelled: 'EXCEPTION',
  error: 'EXCEPTION',
  unknown: null,
};

export function isEasyPostStatus(status: string): status is EasyPostStatus {
  return (EASYPOST_STATUSES as readonly string[]).includes(status);
}

/** The state of a status; null for `unknown` and for a status EasyPost may add later. */
export function easyPostState(status: string): ParcelState | null {
  return isEasyPostStatus(status) ? EASYPOST_STATUS_STATES[status] : null;
}
