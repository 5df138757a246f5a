/** The vocabulary of after-sales (docs/domain.md §8), shared by its events and its API. */

export const AFTER_SALES_TYPES = ['REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE'] as const;
export type AfterSalesType = (typeof AFTER_SALES_TYPES)[number];

/** Why the shopper asks; all but CHANGED_MIND are the seller's fault. */
export const AFTER_SALES_REASONS = [
  'CHANGED_MIND',
  'DAMAGED',
  'WRONG_ITEM',
  'MISSING_ITEM',
  'NOT_AS_DESCRIBED',
  'QUALITY_PROBLEM',
  /** A parcel that never arrived (refund only, after NOT_ARRIVED_AFTER_DAYS). */
  'NOT_RECEIVED',
] as const;
export type AfterSalesReason = (typeof AFTER_SALES_REASONS)[number];

/**
 * Where a request stands. REQUESTED waits for customer service; AWAITING_EVIDENCE for the shopper's
 * files; APPROVED for the refund (refund only) or the return parcel; RETURN_SHIPPED, RETURN_RECEIVED
 * follow the parcel back; REFUNDING waits for payments; REFUNDED, EXCHANGED, REJECTED and CLOSED
 * are ends.
 */
export const AFTER_SALES_STATES = [
  'REQUESTED',
  'AWAITING_EVIDENCE',
  'APPROVED',
  'RETURN_SHIPPED',
  'RETURN_RECEIVED',
  'REFUNDING',
  'REFUNDED',
  'EXCHANGING',
  'EXCHANGED',
  'REJECTED',
  'CLOSED',
] as const;
export type AfterSalesState = (typeof AFTER_SALES_STATES)[number];

export const AFTER_SALES_END_STATES: readonly AfterSalesState[] = ['REFUNDED', 'EXCHANGED', 'REJECTED', 'CLOSED'];

/**
 * The states a warehouse may list returns in: from APPROVED on. Before approval (REQUESTED,
 * AWAITING_EVIDENCE) and after a rejection, nothing comes back, and what the request holds is
 * between the shopper and customer service. CLOSED is reached only from APPROVED on.
 */
export const WAREHOUSE_RETURN_STATES = [
  'APPROVED',
  'RETURN_SHIPPED',
  'RETURN_RECEIVED',
  'REFUNDING',
  'REFUNDED',
  'EXCHANGING',
  'EXCHANGED',
  'CLOSED',
] as const satisfies readonly AfterSalesState[];
export type WarehouseReturnState = (typeof WAREHOUSE_RETURN_STATES)[number];

/** Who took a step: the shopper, customer service, warehouse staff, or after-sales itself (auto-approval, payments' answer). */
export const AFTER_SALES_ACTOR_KINDS = ['SHOPPER', 'CUSTOMER_SERVICE', 'WAREHOUSE', 'SYSTEM'] as const;
export type AfterSalesActorKind = (typeof AFTER_SALES_ACTOR_KINDS)[number];

/** Who arranged the return parcel: the shopper sent it, or the merchant booked a pickup from the shopper. */
export const RETURN_PARCEL_BOOKERS = ['SHOPPER', 'MERCHANT'] as const;
export type ReturnParcelBooker = (typeof RETURN_PARCEL_BOOKERS)[number];

/** Who pays for sending goods back. */
export const RETURN_SHIPPING_PAYERS = ['MERCHANT', 'SHOPPER'] as const;
export type ReturnShippingPayer = (typeof RETURN_SHIPPING_PAYERS)[number];
