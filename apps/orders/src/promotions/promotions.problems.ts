import { ProblemException } from '@mallard/platform';

export const promotionsProblems = {
  incomplete: (kind: string, fields: string[]) =>
    new ProblemException({
      status: 422,
      slug: 'incomplete-promotion',
      title: 'The promotion lacks fields its kind needs',
      detail: `${kind} needs ${fields.join(', ')}`,
    }),
};
