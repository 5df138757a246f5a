import { ProblemException } from '@mallard/platform';
import type { RefundRejected } from './refunds.service.js';

export const refundProblems = {
  refundIdInvalid: () =>
    new ProblemException({
      status: 400,
      slug: 'refund-id-invalid',
      title: 'Invalid refundId',
      detail: 'a staff refundId is 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      extensions: { field: 'refundId' },
    }),
  refundIdReused: (refundKey: string) =>
    new ProblemException({
      status: 422,
      slug: 'refund-id-reused',
      title: 'refundId already used for another refund',
      detail: `refund ${refundKey} was first requested with a different order, payment, amount or reason`,
      extensions: { refundId: refundKey },
    }),
  /** `refund-<reason>`: `refund-nothing-to-refund`, `refund-exceeds-refundable`, `refund-currency-mismatch`. */
  rejected: (rejection: RefundRejected) =>
    new ProblemException({
      status: 422,
      slug: `refund-${rejection.reason.toLowerCase().replaceAll('_', '-')}`,
      title: 'The refund cannot be made',
      detail: rejection.message,
      extensions: { reason: rejection.reason },
    }),
};
