import { defineProblems } from '@mallard/platform';

/** Problems of the helpers every payments feature shares (lock-retry.ts). */
export const commonProblems = defineProblems('payments', {
  busyTryAgain: {
    slug: 'busy-try-again',
    status: 503,
    title: 'Busy, try again',
    description: 'The request kept colliding with concurrent work on the same money and was not applied.',
    headers: { 'Retry-After': '1' },
    create: () => ({
      detail: 'the request collided with concurrent work on the same money and was not applied; retry it (with the same Idempotency-Key)',
    }),
  },
});
