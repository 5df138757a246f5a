import type { components } from './generated/openapi.js';

/** An error answer of the gateway (RFC 9457 problem+json), as docs/errors.md catalogues them. */
export type Problem = components['schemas']['Problem'];

/** The last segment of a problem's `type`: `order-closed`, `too-many-requests`... */
export function problemSlug(problem: Pick<Problem, 'type'>): string {
  return problem.type.slice(problem.type.lastIndexOf('/') + 1);
}

/** Thrown by `orThrow` for an error answer, with the problem the gateway sent. */
export class MallardProblemError extends Error {
  readonly problem: Problem;
  readonly status: number;
  readonly slug: string;

  constructor(problem: Problem, status: number) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'MallardProblemError';
    this.problem = problem;
    this.status = status;
    this.slug = problemSlug(problem);
  }
}

interface Answer<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful answer, or a MallardProblemError for an error answer: for callers
 * that prefer exceptions to checking `error`. An error without a problem body (a proxy's HTML
 * page, say) becomes a problem named after its status.
 */
export function orThrow<Data>(answer: Answer<Data>): Data {
  if (answer.response.ok) return answer.data as Data;
  const problem = isProblem(answer.error)
    ? answer.error
    : { type: 'about:blank', title: answer.response.statusText || `HTTP ${answer.response.status}`, status: answer.response.status };
  throw new MallardProblemError(problem, answer.response.status);
}

export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.type === 'string' && typeof candidate.title === 'string' && typeof candidate.status === 'number';
}
