import { defineProblems, type ProblemException } from '@mallard/platform';
import type { Role } from './roles.js';

const REALM = 'Bearer realm="mallard"';

/** RFC 6750 §3: a 401 names the scheme, and says `invalid_token` when one was sent but refused. */
function invalidTokenChallenge(description: string): Record<string, string> {
  return { 'WWW-Authenticate': `${REALM}, error="invalid_token", error_description="${description}"` };
}

/** What the gateway answers a caller it cannot authenticate or authorise (AuthGuard). */
export const authProblems = defineProblems('gateway', {
  authenticationRequired: {
    slug: 'authentication-required',
    status: 401,
    title: 'Authentication required',
    description: 'No bearer token was sent on a route that needs one.',
    headers: { 'WWW-Authenticate': REALM },
    create: () => ({ detail: 'Send a bearer token in the Authorization header.' }),
  },
  tokenExpired: {
    slug: 'token-expired',
    status: 401,
    title: 'Token expired',
    description: 'The bearer token was valid but has expired.',
    create: () => {
      const description = 'The access token expired';
      return { detail: `${description}; obtain a new one.`, headers: invalidTokenChallenge(description) };
    },
  },
  invalidToken: {
    slug: 'invalid-token',
    status: 401,
    title: 'Invalid token',
    description: 'The bearer token is malformed, forged, not for Mallard or never expires.',
    create: () => {
      const description = 'The access token is invalid';
      return { detail: `${description}; obtain a new one.`, headers: invalidTokenChallenge(description) };
    },
  },
  insufficientRole: {
    slug: 'insufficient-role',
    status: 403,
    title: 'Insufficient role',
    description: 'The caller is authenticated but has none of the roles the route needs.',
    extensions: ['requiredRoles'],
    create: (required: readonly Role[]) => ({
      detail: `This action needs one of the roles: ${required.join(', ')}.`,
      extensions: { requiredRoles: [...required] },
    }),
  },
});

export function authenticationRequired(): ProblemException {
  return authProblems.authenticationRequired();
}

export function tokenRejected(reason: 'invalid' | 'expired'): ProblemException {
  return reason === 'expired' ? authProblems.tokenExpired() : authProblems.invalidToken();
}

export function insufficientRole(required: readonly Role[]): ProblemException {
  return authProblems.insufficientRole(required);
}
