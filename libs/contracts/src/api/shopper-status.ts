/**
 * The vocabulary of the shopper's one order status (docs/logistics.md, "The shopper's order status"):
 * the status "My orders" shows, its flags, and the sub-order and parcel states it is rolled up from.
 * The roll-up itself is apps/gateway/src/read-model/shopper-status.ts.
 */

/** What a shopper sees of an order, in the order an order normally moves through them; the last two are ends. */
export const SHOPPER_ORDER_STATUSES = [
  'PENDING_PAYMENT',
  'PAID',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'PARTIALLY_DELIVERED',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
  'CLOSED',
] as const;
export type ShopperOrderStatus = (typeof SHOPPER_ORDER_STATUSES)[number];

/** A sub-order's warehouse or merchant status (logistics). SHIPPED, INTERCEPTED and CANCELLED are terminal. */
export const SUB_ORDER_STATES = [
  'AWAITING_PICK',
  'PICKING',
  'PACKED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'INTERCEPTING',
  'INTERCEPTED',
  'CANCELLED',
] as const;
export type SubOrderState = (typeof SUB_ORDER_STATES)[number];

/**
 * The normalised parcel state every carrier's and platform's vocabulary maps onto, listed in rank
 * order: a later entry outranks an earlier one. PACKED and LABEL_CREATED are before the carrier has the
 * parcel; PICKED_UP and everything after it count as handed over.
 */
export const PARCEL_STATES = [
  'PACKED',
  'LABEL_CREATED',
  'PICKED_UP',
  'IN_TRANSIT',
  'EXCEPTION',
  'DELIVERY_FAILED',
  'OUT_FOR_DELIVERY',
  'AVAILABLE_FOR_PICKUP',
  'DELIVERED',
  'REJECTED',
  'RETURNING',
  'RETURNED_TO_SENDER',
  'LOST',
] as const;
export type ParcelState = (typeof PARCEL_STATES)[number];

/** Where the shopper's request to stop a paid order stands, over all its sub-orders. */
export const INTERCEPTION_FLAGS = ['NONE', 'IN_PROGRESS', 'STOPPED', 'REFUSED', 'PARTIAL'] as const;
export type InterceptionFlag = (typeof INTERCEPTION_FLAGS)[number];

/** How much of what the shopper paid has come back. */
export const REFUNDED_FLAGS = ['NONE', 'PARTIAL', 'FULL'] as const;
export type RefundedFlag = (typeof REFUNDED_FLAGS)[number];
