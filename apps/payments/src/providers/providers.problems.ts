import { defineProblems } from '@mallard/platform';

/** The same type reconciliation answers a bad day with (reconciliation.problems.ts). */
export const providerProblems = defineProblems('payments', {
  /** The sandbox console's settlement file is asked for by day. */
  badSettlementDate: {
    slug: 'bad-settlement-date',
    status: 400,
    title: 'Bad settlement date',
    description: 'A settlement day is not a YYYY-MM-DD day of the calendar.',
    create: () => ({ detail: 'use YYYY-MM-DD, a day of the calendar' }),
  },
});
