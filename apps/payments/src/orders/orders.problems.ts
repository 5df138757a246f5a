import { ProblemException } from '@mallard/platform';

export const orderProblems = {
  badOrderSnapshot: (why: string) =>
    new ProblemException({
      status: 400,
      slug: 'bad-order-snapshot',
      title: 'Bad order snapshot',
      detail: `the order snapshot header is invalid: ${why}`,
    }),
};
