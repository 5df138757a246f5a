import { defineProblems } from '@mallard/platform';
import type { ReorderLine } from './reorder-proposal.js';

/** What "buy again" refuses on its own; problems of orders and inventory are handed on as they are. */
export const reorderProblems = defineProblems('gateway', {
  nothingToReorder: {
    slug: 'nothing-to-reorder',
    status: 422,
    title: 'No line of the old order can be bought as before',
    description: 'Placing a reorder was asked for, but no line of the old order can be bought as it was.',
    extensions: ['proposal'],
    create: (proposal: ReorderLine[]) => ({
      detail: 'every line is off the shelf, short of stock, changed in price or discontinued',
      extensions: { proposal },
    }),
  },
});
