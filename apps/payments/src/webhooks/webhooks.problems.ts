import { defineProblems } from '@mallard/platform';

export const webhookProblems = defineProblems('payments', {
  bodyRequired: {
    slug: 'body-required',
    status: 400,
    title: 'Request body required',
    description: 'A provider callback came without a body.',
    create: () => ({ detail: 'a provider callback has a body' }),
  },
  unknownProvider: {
    slug: 'unknown-provider',
    status: 404,
    title: 'Unknown payment provider',
    description: 'A callback was posted for a provider payments does not use.',
    create: (provider: string) => ({ detail: `no provider ${provider}` }),
  },
  /** Signed by the provider, but not something payments can apply. */
  unusable: {
    slug: 'webhook-unusable',
    status: 400,
    title: 'The callback cannot be used',
    description: 'A correctly signed callback says something payments cannot apply.',
    create: (why: string) => ({ detail: why }),
  },
  signatureInvalid: {
    slug: 'webhook-signature-invalid',
    status: 401,
    title: 'The callback signature does not verify',
    description: 'The callback’s signature does not verify; nothing was changed.',
    create: (why: string) => ({ detail: why }),
  },
});
