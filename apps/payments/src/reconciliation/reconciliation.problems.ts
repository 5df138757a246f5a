import { defineProblems } from '@mallard/platform';
import type { SettlementFormatError } from './settlement-csv.js';

/** Also the sandbox console's answer when its settlement file is asked for a day that is not one. */
export const reconciliationProblems = defineProblems('payments', {
  badSettlementDate: {
    slug: 'bad-settlement-date',
    status: 400,
    title: 'Bad settlement date',
    description: 'A settlement day is not a YYYY-MM-DD day of the calendar.',
    create: (date: string) => ({ detail: `${JSON.stringify(date)} is not a YYYY-MM-DD day of the calendar` }),
  },
  settlementTextInvalid: {
    slug: 'settlement-text-invalid',
    status: 400,
    title: 'Invalid characters',
    description: 'The settlement file or its name contains NUL or control characters.',
    create: () => ({ detail: 'the file name or the settlement file contains NUL or control characters' }),
  },
  settlementFileMalformed: {
    slug: 'settlement-file-malformed',
    status: 422,
    title: 'The settlement file is malformed',
    description: 'The settlement file cannot be read; `problems` lists what is wrong, at most 100.',
    extensions: ['problems'],
    create: (error: SettlementFormatError) => ({ detail: error.message, extensions: { problems: error.problems.slice(0, 100) } }),
  },
});
