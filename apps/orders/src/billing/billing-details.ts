import { type BillingDetailsRequest, type BillingType, DEFAULT_BILLING_COUNTRY, type OrderState } from '@mallard/contracts';

/** Billing details as orders keeps them: the country filled in, no tax id as null. */
export interface BillingDetails {
  type: BillingType;
  title: string;
  taxId: string | null;
  country: string;
  email: string;
}

export function billingDetailsOf(request: BillingDetailsRequest): BillingDetails {
  return {
    type: request.type,
    title: request.title,
    taxId: request.taxId ?? null,
    country: request.country ?? DEFAULT_BILLING_COUNTRY,
    email: request.email,
  };
}

export function sameBillingDetails(a: BillingDetails, b: BillingDetails): boolean {
  return a.type === b.type && a.title === b.title && a.taxId === b.taxId && a.country === b.country && a.email === b.email;
}

/** Why an order's billing details may no longer change. */
export type BillingChangeRefusal = 'ORDER_CANCELLED' | 'ORDER_FAILED' | 'INVOICE_ISSUED';

/**
 * The one place that decides whether an order's billing details may still change: not once the
 * order closed without a sale (cancelled, or failed and refunded), and not once they were locked
 * by the first invoice (`lockedAt`, set by invoicing under the order's row lock; null until
 * invoices exist). `billing` is null when the order has none yet.
 */
export function billingChangeRefusal(orderState: OrderState, billing: { lockedAt: Date | null } | null): BillingChangeRefusal | null {
  if (orderState === 'CANCELLED') return 'ORDER_CANCELLED';
  if (orderState === 'FAILED') return 'ORDER_FAILED';
  if (billing?.lockedAt) return 'INVOICE_ISSUED';
  return null;
}
