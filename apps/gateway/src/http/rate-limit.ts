import type { DynamicModule } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

/**
 * Generous on purpose: load benchmarks drive the whole suite through the gateway, often as
 * one user from one IP, and must measure the services rather than this limiter.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;

export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Probes and scrapers must never be starved by the traffic they are there to observe. */
export const UNLIMITED_PATH_PREFIXES = ['/health', '/metrics'] as const;

/** `undefined` → the default; 0 → no limiting at all; anything else must be a whole number. */
export function resolveRateLimit(perMinute: number | undefined): number {
  const value = perMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`rateLimitPerMinute must be a whole number >= 0 (0 disables limiting), got ${perMinute}`);
  }
  return value;
}

export function isUnlimitedPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return UNLIMITED_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * One fixed one-minute window per client across every route, counted in this process's
 * memory: with N gateway replicas a client gets up to N times the limit, which is fine for
 * abuse protection; a shared store (Redis) would be needed for an exact quota.
 */
export function rateLimitModule(perMinute: number): DynamicModule {
  return ThrottlerModule.forRoot({
    throttlers: [{ name: 'default', ttl: RATE_LIMIT_WINDOW_MS, limit: perMinute }],
  });
}
