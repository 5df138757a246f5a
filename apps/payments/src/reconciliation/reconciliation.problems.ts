import { ProblemException } from '@mallard/platform';
import type { SettlementFormatError } from './settlement-csv.js';

export const reconciliationProblems = {
  badSettlementDate: (date: string) =>
    new ProblemException({
      status: 400,
      slug: 'bad-settlement-date',
      title: 'Bad settlement date',
      detail: `${JSON.stringify(date)} is not a YYYY-MM-DD day of the calendar`,
    }),
  settlementTextInvalid: () =>
    new ProblemException({
      status: 400,
      slug: 'settlement-text-invalid',
      title: 'Invalid characters',
      detail: 'the file name or the settlement file contains NUL or control characters',
    }),
  settlementFileMalformed: (error: SettlementFormatError) =>
    new ProblemException({
      status: 422,
      slug: 'settlement-file-malformed',
      title: 'The settlement file is malformed',
      detail: error.message,
      extensions: { problems: error.problems.slice(0, 100) },
    }),
};
