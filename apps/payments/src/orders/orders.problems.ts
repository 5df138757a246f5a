import { defineProblems } from '@mallard/platform';

export const orderProblems = defineProblems('payments', {
  badOrderSnapshot: {
    slug: 'bad-order-snapshot',
    status: 400,
    title: 'Bad order snapshot',
    description: 'The order snapshot the gateway passes with a payment is not valid.',
    create: (why: string) => ({ detail: `the order snapshot header is invalid: ${why}` }),
  },
});
