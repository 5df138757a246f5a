import { ProblemException } from '@mallard/platform';

export const webhookProblems = {
  bodyRequired: () =>
    new ProblemException({
      status: 400,
      slug: 'body-required',
      title: 'Request body required',
      detail: 'a provider callback has a body',
    }),
  unknownProvider: (provider: string) =>
    new ProblemException({
      status: 404,
      slug: 'unknown-provider',
      title: 'Unknown payment provider',
      detail: `no provider ${provider}`,
    }),
  /** Signed by the provider, but not something payments can apply. */
  unusable: (why: string) =>
    new ProblemException({ status: 400, slug: 'webhook-unusable', title: 'The callback cannot be used', detail: why }),
  signatureInvalid: (why: string) =>
    new ProblemException({
      status: 401,
      slug: 'webhook-signature-invalid',
      title: 'The callback signature does not verify',
      detail: why,
    }),
};
