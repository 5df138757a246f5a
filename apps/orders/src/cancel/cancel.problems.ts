import { defineProblems } from '@mallard/platform';

export const cancelProblems = defineProblems('orders', {
  /** The same type payments answers a second payment with: either way the order is paid. */
  alreadyPaid: {
    slug: 'order-already-paid',
    status: 409,
    title: 'The order is already paid',
    description: 'The order failed after payment and its money was refunded: there is nothing left to cancel.',
    extensions: ['orderId', 'state'],
    create: (orderId: string, state: string) => ({
      detail: `order ${orderId} is ${state}: its payment was refunded, there is nothing left to cancel`,
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
