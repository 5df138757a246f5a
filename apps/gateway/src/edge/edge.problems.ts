import { defineProblems } from '@mallard/platform';

/** What the gateway's edge (rate limit, signed bodies) refuses before a route runs. */
export const edgeProblems = defineProblems('gateway', {
  bodyRequired: {
    slug: 'body-required',
    status: 400,
    title: 'Request body required',
    description: 'A route that verifies a signature over the body was called without one.',
    create: () => ({ detail: 'This endpoint verifies a signature over the request body, and none was sent.' }),
  },
  tooManyRequests: {
    slug: 'too-many-requests',
    status: 429,
    title: 'Too many requests',
    description: 'The caller spent its request budget for the window; retry after `retryAfterSeconds`.',
    extensions: ['retryAfterSeconds'],
    create: (perMinute: number, retryAfterSeconds: number) => ({
      detail: `The limit of ${perMinute} requests per minute was reached; retry in ${retryAfterSeconds} s.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
      extensions: { retryAfterSeconds },
    }),
  },
});
