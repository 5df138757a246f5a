import type { RefundFailureReason } from '@mallard/contracts';
import { defineProblems, type ProblemException } from '@mallard/platform';
import type { RefundRejected } from './refunds.service.js';

const rejection = <Slug extends string>(slug: Slug, description: string) =>
  ({
    slug,
    status: 422,
    title: 'The refund cannot be made',
    description,
    extensions: ['reason'],
    create: (rejected: RefundRejected) => ({ detail: rejected.message, extensions: { reason: rejected.reason } }),
  }) as const;

export const refundCatalogue = defineProblems('payments', {
  refundIdInvalid: {
    slug: 'refund-id-invalid',
    status: 400,
    title: 'Invalid refundId',
    description: 'A staff refundId is not 1–128 letters, digits, ".", "_" or "-" starting with a letter or digit.',
    extensions: ['field'],
    create: () => ({
      detail: 'a staff refundId is 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      extensions: { field: 'refundId' },
    }),
  },
  refundIdReused: {
    slug: 'refund-id-reused',
    status: 422,
    title: 'refundId already used for another refund',
    description: 'The refundId was first used with a different order, payment, amount or reason.',
    extensions: ['refundId'],
    create: (refundKey: string) => ({
      detail: `refund ${refundKey} was first requested with a different order, payment, amount or reason`,
      extensions: { refundId: refundKey },
    }),
  },
  nothingToRefund: rejection('refund-nothing-to-refund', 'The order has no captured payment (or not the one named) to refund.'),
  exceedsRefundable: rejection('refund-exceeds-refundable', 'The amount is more than what is left to refund.'),
  currencyMismatch: rejection('refund-currency-mismatch', 'The refund is in another currency than the payment.'),
  providerRefused: rejection('refund-provider-refused', 'The provider refused the refund.'),
});

/** `refund-<reason>`: one entry per reason, so every type a client can get is documented. */
const REJECTIONS: Record<RefundFailureReason, (rejected: RefundRejected) => ProblemException> = {
  NOTHING_TO_REFUND: refundCatalogue.nothingToRefund,
  EXCEEDS_REFUNDABLE: refundCatalogue.exceedsRefundable,
  CURRENCY_MISMATCH: refundCatalogue.currencyMismatch,
  PROVIDER_REFUSED: refundCatalogue.providerRefused,
};

export const refundProblems = {
  refundIdInvalid: refundCatalogue.refundIdInvalid,
  refundIdReused: refundCatalogue.refundIdReused,
  rejected: (rejected: RefundRejected): ProblemException => REJECTIONS[rejected.reason](rejected),
};
