import { defineProblems } from '@mallard/platform';

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
});
