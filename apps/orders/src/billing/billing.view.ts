import type { BillingType } from '@mallard/contracts';
import type { OrderBilling } from './order-billing.entity.js';

/** The billing details as the API shows them (BillingDetailsResponse). */
export interface BillingView {
  type: BillingType;
  title: string;
  taxId: string | null;
  country: string;
  email: string;
  version: number;
  updatedAt: string;
}

export function toBillingView(billing: OrderBilling): BillingView {
  return {
    type: billing.type,
    title: billing.title,
    taxId: billing.taxId,
    country: billing.country,
    email: billing.email,
    version: billing.version,
    updatedAt: billing.updatedAt.toISOString(),
  };
}
