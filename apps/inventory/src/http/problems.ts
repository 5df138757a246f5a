import { ProblemException } from '@mallard/platform';

/** 404: the resource the path names does not exist. */
export function notFound(kind: 'merchant' | 'warehouse' | 'sku', id: string): ProblemException {
  const label = kind === 'sku' ? 'SKU' : kind;
  return new ProblemException({
    status: 404,
    slug: `${kind}-not-found`,
    title: `Unknown ${label}`,
    detail: `There is no ${label} ${id}.`,
    extensions: { [`${kind}Id`]: id },
  });
}

/** 422: a well-formed request that a business rule refuses. */
export function refused(slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}): ProblemException {
  return new ProblemException({ status: 422, slug, title, detail, extensions });
}
