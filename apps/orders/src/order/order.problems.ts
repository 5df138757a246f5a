import { defineProblems } from '@mallard/platform';

export const orderProblems = defineProblems('orders', {
  /** Also the answer for another buyer's order: whether it exists is none of the caller's business. */
  notFound: {
    slug: 'order-not-found',
    status: 404,
    title: 'Order not found',
    description: 'No order with this id belongs to the caller.',
    create: (orderId: string) => ({ detail: `no order ${orderId}` }),
  },
});
