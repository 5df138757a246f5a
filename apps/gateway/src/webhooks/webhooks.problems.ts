import { defineProblems } from '@mallard/platform';

/** What the gateway refuses a provider callback with before forwarding it to payments. */
export const webhookProblems = defineProblems('gateway', {
  unknownProvider: {
    slug: 'unknown-provider',
    status: 404,
    title: 'Unknown payment provider',
    description: 'A callback was posted for a provider Mallard does not use.',
    create: (provider: string) => ({ detail: `no provider ${provider}` }),
  },
});
