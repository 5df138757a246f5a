import { defineProblems } from '@mallard/platform';

/** What a carrier is told when its webhook cannot be taken. The slugs are those payments' provider webhooks answer. */
export const trackingProblems = defineProblems('logistics', {
  unknownProvider: {
    slug: 'unknown-tracking-provider',
    status: 404,
    title: 'Unknown tracking provider',
    description: 'The webhook path names no tracking provider Mallard knows (aftership, kuaidi100, easypost).',
    extensions: ['provider'],
    create: (provider: string) => ({ detail: `no tracking provider ${provider}`, extensions: { provider } }),
  },
  signatureInvalid: {
    slug: 'webhook-signature-invalid',
    status: 401,
    title: 'The callback signature does not verify',
    description: 'The signature is missing, does not verify, or the provider is not configured. Nothing was changed.',
    create: (reason: string) => ({ detail: reason }),
  },
  bodyRequired: {
    slug: 'body-required',
    status: 400,
    title: 'Request body required',
    description: 'The webhook came without a body.',
    create: () => ({ detail: 'the webhook has no body' }),
  },
  unusable: {
    slug: 'webhook-unusable',
    status: 400,
    title: 'The callback cannot be used',
    description: 'The webhook is signed, but its body cannot be read as the provider documents it.',
    create: (reason: string) => ({ detail: reason }),
  },
});
