import { defineProblems } from '@mallard/platform';

/** The same type the payment feature answers an unknown order with (payment.problems.ts). */
export const moneyTrailProblems = defineProblems('payments', {
  orderNotFound: {
    slug: 'order-not-found',
    status: 404,
    title: 'Order not found',
    description: 'Payments knows no such order, or none of the caller’s; a just-placed order may take a moment to arrive.',
    extensions: ['orderId'],
    create: (orderId: string) => ({ detail: `payments knows nothing of order ${orderId}` }),
  },
});
