import type { TaxIdRefusal } from '@mallard/contracts';
import { defineProblems } from '@mallard/platform';
import type { BillingChangeRefusal } from './billing-details.js';

const TAX_ID_REFUSAL_WORDS: Record<TaxIdRefusal, string> = {
  COUNTRY_NOT_SUPPORTED: 'no tax id format is known for this country',
  FORMAT: 'it does not have the format of this country',
  CHECK_CHARACTER: 'its check character does not match: a character is mistyped',
};

const CHANGE_REFUSAL_WORDS: Record<BillingChangeRefusal, string> = {
  ORDER_CANCELLED: 'the order is cancelled',
  ORDER_FAILED: 'the order failed and was refunded',
  INVOICE_ISSUED: 'an invoice was issued with them',
};

export const billingProblems = defineProblems('orders', {
  /** The tax id is refused before anything is written, at placement and on a change alike. */
  taxIdInvalid: {
    slug: 'tax-id-invalid',
    status: 422,
    title: 'The tax id is not valid for its country',
    description: 'The billing tax id does not pass its country’s rule, or no rule is known for the country.',
    extensions: ['country', 'reason'],
    create: (country: string, reason: TaxIdRefusal) => ({
      detail: `the tax id is refused for ${country}: ${TAX_ID_REFUSAL_WORDS[reason]}`,
      extensions: { country, reason },
    }),
  },
  notChangeable: {
    slug: 'billing-not-changeable',
    status: 409,
    title: 'The billing details can no longer change',
    description: 'The order is cancelled or failed, or an invoice was issued with its billing details.',
    extensions: ['orderId', 'reason'],
    create: (orderId: string, reason: BillingChangeRefusal) => ({
      detail: `the billing details of order ${orderId} can no longer change: ${CHANGE_REFUSAL_WORDS[reason]}`,
      extensions: { orderId, reason },
    }),
  },
  /** Under the order's row lock only a writer that ignored the lock gets here: said, not hidden. */
  changedConcurrently: {
    slug: 'billing-changed-concurrently',
    status: 409,
    title: 'The billing details changed while they were being changed',
    description: 'Another change of the billing details was written first.',
    extensions: ['orderId'],
    create: (orderId: string) => ({
      detail: `the billing details of order ${orderId} were changed by another request first: read them again`,
      extensions: { orderId },
    }),
  },
});
