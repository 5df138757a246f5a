import { defineProblems } from '../problems/define-problems.js';
import type { ServiceTokenRejectedError } from './service-token.js';

/** RFC 6750 §3: a 401 names the scheme it wants. */
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="mallard-internal"' };

/** What a service answers on an internal route the gateway did not sign for (ServiceTokenGuard). */
export const serviceTokenProblems = defineProblems('platform', {
  required: {
    slug: 'service-token-required',
    status: 401,
    title: 'Service token required',
    description: 'An internal route was called without the gateway’s service token (`reason`: `missing`).',
    extensions: ['reason'],
    headers: CHALLENGE,
    create: (error: ServiceTokenRejectedError) => ({ detail: error.message, extensions: { reason: error.reason } }),
  },
  rejected: {
    slug: 'service-token-rejected',
    status: 401,
    title: 'Service token rejected',
    description:
      'The service token is not valid for this service and request; `reason`: `invalid`, `expired`, `wrong-audience` or `wrong-route`.',
    extensions: ['reason'],
    headers: CHALLENGE,
    create: (error: ServiceTokenRejectedError) => ({ detail: error.message, extensions: { reason: error.reason } }),
  },
});
