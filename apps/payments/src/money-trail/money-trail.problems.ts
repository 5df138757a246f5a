import { ProblemException } from '@mallard/platform';

export const moneyTrailProblems = {
  orderNotFound: (orderId: string) =>
    new ProblemException({
      status: 404,
      slug: 'order-not-found',
      title: 'Order not found',
      detail: `payments knows nothing of order ${orderId}`,
    }),
};
