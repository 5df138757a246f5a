import { Inject, Injectable } from '@nestjs/common';
import { AccessTokens, TokenRejectedError } from './access-token.js';
import type { AuthenticatedUser } from './roles.js';

export type AuthOutcome =
  | { readonly kind: 'authenticated'; readonly user: AuthenticatedUser }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'rejected'; readonly reason: 'invalid' | 'expired' };

export interface RequestWithUser {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthenticatedUser;
}

/**
 * Reads the caller off the Authorization header once per request: the rate limiter (which
 * runs first, to count anonymous and badly-authenticated callers by IP) and the auth guard
 * both ask, and the second asks for free.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly outcomes = new WeakMap<object, AuthOutcome>();

  constructor(@Inject(AccessTokens) private readonly tokens: AccessTokens) {}

  authenticate(request: RequestWithUser): AuthOutcome {
    let outcome = this.outcomes.get(request);
    if (!outcome) {
      outcome = this.decide(request);
      this.outcomes.set(request, outcome);
      if (outcome.kind === 'authenticated') request.user = outcome.user;
    }
    return outcome;
  }

  private decide(request: RequestWithUser): AuthOutcome {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') return { kind: 'anonymous' };
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match) {
      // Some other scheme (Basic...) or `Bearer` with nothing after it: not our credentials.
      return /^Bearer\b/i.test(header) ? { kind: 'rejected', reason: 'invalid' } : { kind: 'anonymous' };
    }
    try {
      return { kind: 'authenticated', user: this.tokens.verify(match[1]) };
    } catch (error) {
      if (error instanceof TokenRejectedError) return { kind: 'rejected', reason: error.reason };
      throw error;
    }
  }
}
