import { createSecretKey } from 'node:crypto';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { type AuthenticatedUser, isRole, type Role } from './roles.js';

export const DEFAULT_ISSUER = 'mallard';

/** Shorter keys make HS256 guessable offline from any token a client holds. */
const MIN_SECRET_BYTES = 32;

export interface AccessTokenOptions {
  secret: string;
  issuer?: string;
}

export interface TokenRequest {
  sub: string;
  roles: readonly Role[];
  ttlSeconds: number;
  /** For warehouse staff: the warehouses they work for. */
  warehouses?: readonly string[];
}

export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
  constructor(readonly reason: 'invalid' | 'expired') {
    super(reason === 'expired' ? 'access token expired' : 'access token invalid');
  }
}

/**
 * Signs and checks the gateway's bearer tokens: HS256 only (so `alg: none` and RS/HS
 * confusion are refused), our issuer only, and an expiry is mandatory — a token that never
 * expires cannot be taken back.
 */
const VERIFIED_CACHE_SIZE = 50_000;

export class AccessTokens {
  readonly issuer: string;
  private readonly jwt: JwtService;
  private readonly verified = new Map<string, { user: AuthenticatedUser; expiresAt: number }>();

  constructor(options: AccessTokenOptions) {
    if (Buffer.byteLength(options.secret ?? '', 'utf8') < MIN_SECRET_BYTES) {
      throw new Error(`the JWT secret must be at least ${MIN_SECRET_BYTES} bytes long`);
    }
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to
    // parse it as a public key on every verify, which cost milliseconds per request.
    const key = createSecretKey(Buffer.from(options.secret, 'utf8'));
    this.jwt = new JwtService({ secret: key as unknown as string });
  }

  sign(request: TokenRequest): string {
    if (!request.sub) throw new Error('a token needs a subject');
    if (!(request.ttlSeconds > 0)) throw new Error('a token needs a positive time to live');
    return this.jwt.sign(
      request.warehouses === undefined ? { roles: [...request.roles] } : { roles: [...request.roles], warehouses: [...request.warehouses] },
      { algorithm: 'HS256', subject: request.sub, issuer: this.issuer, expiresIn: request.ttlSeconds },
    );
  }

  /**
   * Front ends send the same token with every request: a verified token is remembered until
   * it expires, so the signature is checked once per token rather than once per request.
   */
  verify(token: string): AuthenticatedUser {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && known.expiresAt > now) return known.user;
    const { user, expiresAt } = this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { user, expiresAt });
    return user;
  }

  private verifySignature(token: string): { user: AuthenticatedUser; expiresAt: number } {
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify(token, { algorithms: ['HS256'], issuer: this.issuer });
    } catch (error) {
      throw new TokenRejectedError(error instanceof TokenExpiredError ? 'expired' : 'invalid');
    }
    if (typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.exp !== 'number') {
      throw new TokenRejectedError('invalid');
    }
    // Roles this gateway does not know (from a newer issuer, say) grant nothing here.
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    const warehouses = Array.isArray(payload.warehouses)
      ? { warehouses: payload.warehouses.filter((id): id is string => typeof id === 'string') }
      : {};
    return { user: { id: payload.sub, roles: [...new Set(roles)], ...warehouses }, expiresAt: payload.exp * 1000 };
  }
}

/** `90`, `90s`, `15m`, `1h`, `7d` → seconds. */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(ttl.trim());
  if (!match) throw new Error(`bad ttl "${ttl}": use a number of seconds or 15m, 1h, 7d`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  if (seconds <= 0) throw new Error('ttl must be positive');
  return seconds;
}
