import { defineProblems, type ProblemDetails, ProblemException } from '@mallard/platform';
import type { UpstreamResponse } from './upstreams.js';

/** How long a caller should wait before trying again, and what to tell it. */
export interface RetryAdvice {
  detail: string;
  retryAfterSeconds: number;
}

/** What the gateway answers when a service behind it cannot be reached. */
export const upstreamProblems = defineProblems('gateway', {
  /**
   * Its own slug, not the http catalogue's `service-unavailable` (a service's failed readiness
   * check): this one names the service behind the gateway that did not answer.
   */
  backOfficeUnavailable: {
    slug: 'back-office-unavailable',
    status: 503,
    title: 'A back-office service is unavailable',
    description: 'A service behind the gateway did not answer; retry after `Retry-After` seconds.',
    extensions: ['service', 'cause'],
    create: (service: string, error: unknown, advice?: RetryAdvice) => ({
      detail: advice?.detail ?? `${service} did not answer; try again shortly`,
      headers: { 'Retry-After': String(advice?.retryAfterSeconds ?? 1) },
      extensions: { service, cause: (error as Error).name },
    }),
  },
  unreadableAnswer: {
    slug: 'back-office-answer-unreadable',
    status: 502,
    title: 'A back-office service gave an answer the gateway cannot read',
    description: 'A service behind the gateway refused the request without saying why (no problem+json); report it with the `service`.',
    extensions: ['service', 'status'],
    create: (service: string, status: number) => ({
      detail: `${service} answered ${status} without a problem`,
      extensions: { service, status },
    }),
  },
});

/**
 * Hands a service's problem on as it is (a 404 stays "order not found"): its type is the
 * service's, documented in that service's section of docs/errors.md, so it is rebuilt from the
 * answer rather than defined again in the gateway's catalogue.
 */
export function forwardedProblem(service: string, response: UpstreamResponse): ProblemException {
  const problem = (response.body ?? {}) as Partial<ProblemDetails>;
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || response.status < 400) {
    return upstreamProblems.unreadableAnswer(service, response.status);
  }
  // The gateway's own instance and correlation id replace the service's; its members stay.
  const { type, title, status: _status, detail, instance: _instance, correlationId: _correlationId, ...extensions } = problem;
  return new ProblemException({
    status: response.status,
    slug: type.split('/').at(-1) ?? 'about:blank',
    title,
    detail,
    extensions,
    headers: response.retryAfter === undefined ? {} : { 'Retry-After': response.retryAfter },
  });
}
