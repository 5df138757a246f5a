import { defineProblems } from '@mallard/platform';

export const INVOICE_REFUSALS = ['NOT_PAID', 'NOT_SPLIT_YET', 'ORDER_CANCELLED', 'ORDER_FAILED', 'BILLING_DETAILS_MISSING'] as const;
export type InvoiceRefusal = (typeof INVOICE_REFUSALS)[number];

const REFUSAL_WORDS: Record<InvoiceRefusal, string> = {
  NOT_PAID: 'the order is not paid yet',
  NOT_SPLIT_YET: 'the order was paid a moment ago and is being split into sub-orders: ask again shortly',
  ORDER_CANCELLED: 'the order was cancelled before payment',
  ORDER_FAILED: 'the order failed after payment and was refunded whole',
  BILLING_DETAILS_MISSING: 'the order has no billing details: set them first (PUT /api/v1/orders/{id}/billing)',
};

export const invoicingProblems = defineProblems('orders', {
  notIssuable: {
    slug: 'invoice-not-issuable',
    status: 409,
    title: 'No invoice can be issued for this order now',
    description: 'The order is not paid, not split yet, cancelled or failed, or has no billing details.',
    extensions: ['orderId', 'reason'],
    create: (orderId: string, reason: InvoiceRefusal) => ({
      detail: `no invoice can be issued for order ${orderId}: ${REFUSAL_WORDS[reason]}`,
      extensions: { orderId, reason },
    }),
  },
  /** Also the answer for another buyer's invoice. */
  notFound: {
    slug: 'invoice-not-found',
    status: 404,
    title: 'Invoice not found',
    description: 'No invoice or credit note with this number belongs to the caller.',
    create: (number: string) => ({ detail: `no invoice or credit note ${number}` }),
  },
  notReissuable: {
    slug: 'invoice-not-reissuable',
    status: 409,
    title: 'This document cannot be reissued',
    description: 'Only an invoice in force can be reissued: not a credit note, nor an invoice already replaced.',
    extensions: ['number', 'replacedBy'],
    create: (number: string, replacedBy: string | null) => ({
      detail: replacedBy
        ? `invoice ${number} was replaced by ${replacedBy}: reissue that one`
        : `${number} is a credit note: credit notes are not reissued`,
      extensions: { number, ...(replacedBy ? { replacedBy } : {}) },
    }),
  },
});
