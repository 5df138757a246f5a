import { ProblemException } from '@mallard/platform';
import type { Role } from './roles.js';

const REALM = 'Bearer realm="mallard"';

/** RFC 6750 §3: a 401 names the scheme, and says `invalid_token` when one was sent but refused. */
export function authenticationRequired(): ProblemException {
  return new ProblemException({
    status: 401,
    slug: 'authentication-required',
    title: 'Authentication required',
    detail: 'Send a bearer token in the Authorization header.',
    headers: { 'WWW-Authenticate': REALM },
  });
}

export function tokenRejected(reason: 'invalid' | 'expired'): ProblemException {
  const expired = reason === 'expired';
  const description = expired ? 'The access token expired' : 'The access token is invalid';
  return new ProblemException({
    status: 401,
    slug: expired ? 'token-expired' : 'invalid-token',
    title: expired ? 'Token expired' : 'Invalid token',
    detail: `${description}; obtain a new one.`,
    headers: { 'WWW-Authenticate': `${REALM}, error="invalid_token", error_description="${description}"` },
  });
}

export function insufficientRole(required: readonly Role[]): ProblemException {
  return new ProblemException({
    status: 403,
    slug: 'insufficient-role',
    title: 'Insufficient role',
    detail: `This action needs one of the roles: ${required.join(', ')}.`,
    extensions: { requiredRoles: [...required] },
  });
}
