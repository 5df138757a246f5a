import { ProblemException } from '@mallard/platform';

export const cancelProblems = {
  alreadyPaid: (orderId: string, state: string) =>
    new ProblemException({
      status: 409,
      slug: 'order-already-paid',
      title: 'A paid order cannot be cancelled here',
      detail: `order ${orderId} is ${state}; after payment, cancelling means intercepting the shipment`,
      extensions: { orderId, state },
    }),
  /** `now` says what became of the order: "it no longer exists" or "it is now <state>". */
  changedConcurrently: (orderId: string, now: string) =>
    new ProblemException({
      status: 409,
      slug: 'order-changed-concurrently',
      title: 'The order changed while it was being cancelled',
      detail: `order ${orderId} could not be cancelled: ${now}`,
      extensions: { orderId },
    }),
};
