import { defineProblems } from '@mallard/platform';

export const promotionsProblems = defineProblems('orders', {
  incomplete: {
    slug: 'incomplete-promotion',
    status: 422,
    title: 'The promotion lacks fields its kind needs',
    description: 'A promotion was saved without a field its kind needs.',
    create: (kind: string, fields: string[]) => ({ detail: `${kind} needs ${fields.join(', ')}` }),
  },
});
