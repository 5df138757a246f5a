/** Vocabulary shared by several services' events and APIs. */

export const FULFILMENT_TYPES = ['SELF_OPERATED', 'THIRD_PARTY_PLATFORM', 'DROP_SHIP'] as const;
export type FulfilmentType = (typeof FULFILMENT_TYPES)[number];

/**
 * RESERVE_ON_ORDER holds stock when the order is placed until payment or expiry;
 * DEDUCT_ON_PAYMENT checks and deducts only when the payment succeeds.
 */
export const STOCK_POLICIES = ['RESERVE_ON_ORDER', 'DEDUCT_ON_PAYMENT'] as const;
export type StockPolicy = (typeof STOCK_POLICIES)[number];

/** ISO 4217 alphabetic code; amounts are always integers in the currency's minor unit. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** How the shopper intends to pay; the payment itself may still combine tenders. */
export const PAYMENT_METHODS = ['ONLINE', 'GIFT_CARD', 'POINTS', 'MIXED'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
