import { ProblemException } from '@mallard/platform';

export const providerProblems = {
  /** The sandbox console's settlement file is asked for by day. */
  badSettlementDate: () =>
    new ProblemException({
      status: 400,
      slug: 'bad-settlement-date',
      title: 'Bad settlement date',
      detail: 'use YYYY-MM-DD, a day of the calendar',
    }),
};
