import { defineProblems } from '@mallard/platform';

/** What opening a live status stream refuses on its own; orders' 404 for another's order is handed on as it is. */
export const statusStreamProblems = defineProblems('gateway', {
  tooManyStreams: {
    slug: 'too-many-status-streams',
    status: 429,
    title: 'Too many status streams',
    description: 'The buyer already has as many status streams open on this gateway instance as one may have.',
    extensions: ['limit', 'retryAfterSeconds'],
    create: (limit: number) => ({
      detail: `At most ${limit} status streams may be open at once; close one (another tab, another order) first.`,
      headers: { 'Retry-After': '5' },
      extensions: { limit, retryAfterSeconds: 5 },
    }),
  },
  closing: {
    slug: 'status-streams-closing',
    status: 503,
    title: 'Status streams are closing',
    description: 'This gateway instance is shutting down and opens no stream; reconnect (another instance answers).',
    extensions: ['retryAfterSeconds'],
    create: () => ({
      detail: 'This gateway instance is shutting down; reconnect in a moment.',
      headers: { 'Retry-After': '1' },
      extensions: { retryAfterSeconds: 1 },
    }),
  },
});
