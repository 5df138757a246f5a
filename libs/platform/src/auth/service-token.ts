import { createSecretKey, randomUUID } from 'node:crypto';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import {
  ACTOR_HEADER,
  BUYER_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  ORDER_SNAPSHOT_HEADER,
  ROLES_HEADER,
  WAREHOUSES_HEADER,
} from '../http/internal-headers.js';

/**
 * Service-to-service credentials. The gateway is the only caller of the services' internal
 * routes; it proves that with a short-lived HS256 JWT signed with `SERVICE_TOKEN_SECRET`:
 *
 * - `aud` is the service the call is for, so a token for inventory opens nothing in payments;
 * - `mth` and `pth` are the request's method and path (with its query), so a token seen in
 *   flight cannot be replayed against another route, e.g. to mint points;
 * - `exp` is `SERVICE_TOKEN_TTL_SECONDS` away (60 s), so a leaked token is soon worthless;
 * - the caller's identity travels inside it — `buyer`, `actor`, `roles` — and so do the
 *   values that decide money or deduplication: the order snapshot (`x-mallard-order`, whose
 *   payable amount payments charges) and the idempotency key. Nothing of that is read from a
 *   loose header any more.
 */
export const SERVICE_TOKEN_HEADER = 'authorization';
export const SERVICE_TOKEN_ISSUER = 'mallard-gateway';
export const SERVICE_TOKEN_TTL_SECONDS = 60;
/** Clocks of two pods differ a little; more than this and the token is refused. */
const CLOCK_TOLERANCE_SECONDS = 5;
export const MIN_SERVICE_TOKEN_SECRET_LENGTH = 32;

/** Who is calling and on whose behalf: what a service may trust about a request. */
export interface ServiceCaller {
  buyer?: string;
  actor?: string;
  roles?: readonly string[];
  /** The warehouses a warehouse staff member may work on; absent: not limited. */
  warehouses?: readonly string[];
  /** The order snapshot header's JSON, byte for byte as the gateway sent it. */
  order?: string;
  idempotencyKey?: string;
}

export interface ServiceCall {
  /** The target service's name, e.g. `payments`. */
  audience: string;
  method: string;
  /** Path and query exactly as sent, e.g. `/internal/orders?page=1`. */
  path: string;
  caller?: ServiceCaller;
}

export interface VerifiedServiceCall {
  caller: ServiceCaller;
  issuer: string;
  expiresAt: number;
}

export class ServiceTokenRejectedError extends Error {
  override readonly name = 'ServiceTokenRejectedError';
  constructor(
    readonly reason: 'missing' | 'invalid' | 'expired' | 'wrong-audience' | 'wrong-route',
    detail: string,
  ) {
    super(detail);
  }
}

/** The loose headers that the verified claims replace; a caller's own values are dropped. */
export const CALLER_HEADERS = [
  BUYER_HEADER,
  ACTOR_HEADER,
  ROLES_HEADER,
  WAREHOUSES_HEADER,
  ORDER_SNAPSHOT_HEADER,
  IDEMPOTENCY_KEY_HEADER,
] as const;

/**
 * Builds the caller of a call from the headers the gateway's controllers already set
 * (x-mallard-buyer, x-mallard-actor, x-mallard-order, idempotency-key), so moving them into
 * the signed token needs no change in any controller.
 */
export function callerFromHeaders(headers: Record<string, string | undefined>, roles?: readonly string[]): ServiceCaller {
  const caller: ServiceCaller = {};
  if (headers[BUYER_HEADER]) caller.buyer = headers[BUYER_HEADER];
  if (headers[ACTOR_HEADER]) caller.actor = headers[ACTOR_HEADER];
  if (headers[ORDER_SNAPSHOT_HEADER]) caller.order = headers[ORDER_SNAPSHOT_HEADER];
  if (headers[IDEMPOTENCY_KEY_HEADER]) caller.idempotencyKey = headers[IDEMPOTENCY_KEY_HEADER];
  const warehouses = headers[WAREHOUSES_HEADER];
  if (warehouses !== undefined) caller.warehouses = warehouses.split(',').filter(Boolean);
  if (roles && roles.length > 0) caller.roles = [...roles];
  return caller;
}

/** The headers a verified caller stands for: what the services' controllers read. */
export function headersOfCaller(caller: ServiceCaller): Record<string, string> {
  const headers: Record<string, string> = {};
  if (caller.buyer) headers[BUYER_HEADER] = caller.buyer;
  if (caller.actor) headers[ACTOR_HEADER] = caller.actor;
  if (caller.roles && caller.roles.length > 0) headers[ROLES_HEADER] = caller.roles.join(',');
  if (caller.order) headers[ORDER_SNAPSHOT_HEADER] = caller.order;
  if (caller.idempotencyKey) headers[IDEMPOTENCY_KEY_HEADER] = caller.idempotencyKey;
  if (caller.warehouses !== undefined) headers[WAREHOUSES_HEADER] = caller.warehouses.join(',');
  return headers;
}

/** Signs and checks service tokens: HS256 only, our issuer only, expiry mandatory. */
export class ServiceTokens {
  private readonly jwt: JwtService;

  constructor(
    secret: string,
    private readonly ttlSeconds: number = SERVICE_TOKEN_TTL_SECONDS,
  ) {
    if (Buffer.byteLength(secret ?? '', 'utf8') < MIN_SERVICE_TOKEN_SECRET_LENGTH) {
      throw new Error(`SERVICE_TOKEN_SECRET must be at least ${MIN_SERVICE_TOKEN_SECRET_LENGTH} bytes long`);
    }
    // A KeyObject: given a string, jsonwebtoken tries to parse it as a PEM key on every verify.
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(secret, 'utf8')) as unknown as string });
  }

  sign(call: ServiceCall): string {
    const { buyer, actor, roles, warehouses, order, idempotencyKey } = call.caller ?? {};
    const claims: Record<string, unknown> = { mth: call.method.toUpperCase(), pth: call.path };
    if (buyer !== undefined) claims.buyer = buyer;
    if (actor !== undefined) claims.actor = actor;
    if (roles !== undefined && roles.length > 0) claims.roles = [...roles];
    if (order !== undefined) claims.order = order;
    if (idempotencyKey !== undefined) claims.idem = idempotencyKey;
    if (warehouses !== undefined) claims.whs = [...warehouses];
    return this.jwt.sign(claims, {
      algorithm: 'HS256',
      issuer: SERVICE_TOKEN_ISSUER,
      subject: 'gateway',
      audience: call.audience,
      expiresIn: this.ttlSeconds,
      jwtid: randomUUID(),
    });
  }

  /** `authorization` header value → the caller it vouches for, or ServiceTokenRejectedError. */
  verify(authorization: string | string[] | undefined, expected: Omit<ServiceCall, 'caller'>): VerifiedServiceCall {
    const match = typeof authorization === 'string' ? /^Bearer[ ]+(\S+)\s*$/i.exec(authorization) : null;
    if (!match)
      throw new ServiceTokenRejectedError('missing', 'internal routes need a service token (Authorization: Bearer) from the gateway');
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify(match[1], {
        algorithms: ['HS256'],
        issuer: SERVICE_TOKEN_ISSUER,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new ServiceTokenRejectedError('expired', 'the service token has expired');
      throw new ServiceTokenRejectedError('invalid', 'the service token is not valid');
    }
    // Checked here rather than by jsonwebtoken so the answer can say which one failed.
    if (payload.aud !== expected.audience) {
      throw new ServiceTokenRejectedError('wrong-audience', `the service token is not for ${expected.audience}`);
    }
    if (typeof payload.exp !== 'number') throw new ServiceTokenRejectedError('invalid', 'the service token has no expiry');
    if (payload.mth !== expected.method.toUpperCase() || payload.pth !== expected.path) {
      throw new ServiceTokenRejectedError('wrong-route', 'the service token was issued for another request');
    }
    const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
    const caller: ServiceCaller = {};
    if (text(payload.buyer)) caller.buyer = text(payload.buyer);
    if (text(payload.actor)) caller.actor = text(payload.actor);
    if (Array.isArray(payload.roles)) caller.roles = payload.roles.filter((role): role is string => typeof role === 'string');
    if (text(payload.order)) caller.order = text(payload.order);
    if (text(payload.idem)) caller.idempotencyKey = text(payload.idem);
    if (Array.isArray(payload.whs)) caller.warehouses = payload.whs.filter((id): id is string => typeof id === 'string');
    return { caller, issuer: String(payload.iss), expiresAt: payload.exp * 1000 };
  }
}
