import { ProblemException } from '@mallard/platform';

export const orderProblems = {
  /** Also the answer for another buyer's order: whether it exists is none of the caller's business. */
  notFound: (orderId: string) =>
    new ProblemException({ status: 404, slug: 'order-not-found', title: 'Order not found', detail: `no order ${orderId}` }),
};
