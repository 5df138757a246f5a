import { defineProblems } from '@mallard/platform';

export const cancelProblems = defineProblems('orders', {
  /** The same type payments answers a second payment with: either way the order is paid. */
  alreadyPaid: {
    slug: 'order-already-paid',
    status: 409,
    title: 'The order is already paid',
    description: 'A paid order cannot be cancelled by the shopper; after payment, cancelling means intercepting the shipment.',
    extensions: ['orderId', 'state'],
    create: (orderId: string, state: string) => ({
      detail: `order ${orderId} is ${state}; after payment, cancelling means intercepting the shipment`,
      extensions: { orderId, state },
    }),
  },
  /** `now` says what became of the order: "it no longer exists" or "it is now <state>". */
  changedConcurrently: {
    slug: 'order-changed-concurrently',
    status: 409,
    title: 'The order changed while it was being cancelled',
    description: 'The order was paid, cancelled or removed while the cancellation ran.',
    extensions: ['orderId'],
    create: (orderId: string, now: string) => ({
      detail: `order ${orderId} could not be cancelled: ${now}`,
      extensions: { orderId },
    }),
  },
});
