import type { DynamicModule, ExecutionContext } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

/**
 * Generous on purpose: load benchmarks drive the whole suite through the gateway, often as
 * one user from one IP, and must measure the services rather than this limiter.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;

/**
 * Payment providers' and carriers' callbacks: per source address, in a bucket of their own, so
 * no amount of other anonymous traffic (from that address or, behind a proxy without
 * TRUST_PROXY, from everyone) can use up what a provider's retries need.
 */
export const DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE = 6000;

export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Where provider and carrier callbacks arrive (api/v1/webhooks/payments/:provider, …). */
export const WEBHOOK_PATH_PREFIX = '/api/v1/webhooks/';

/** Probes and scrapers must never be starved by the traffic they are there to observe. */
export const UNLIMITED_PATH_PREFIXES = ['/health', '/metrics'] as const;

/** `undefined` → the default; 0 → no limiting at all; anything else must be a whole number. */
export function resolveRateLimit(perMinute: number | undefined, fallback: number = DEFAULT_RATE_LIMIT_PER_MINUTE): number {
  const value = perMinute ?? fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`rateLimitPerMinute must be a whole number >= 0 (0 disables limiting), got ${perMinute}`);
  }
  return value;
}

export function isWebhookPath(url: string | undefined): boolean {
  return (url ?? '').split('?')[0].startsWith(WEBHOOK_PATH_PREFIX);
}

export function isWebhookRequest(context: ExecutionContext): boolean {
  return context.getType() === 'http' && isWebhookPath(context.switchToHttp().getRequest<{ url?: string }>().url);
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
export function rateLimitModule(perMinute: number, webhooksPerMinute: number = 0): DynamicModule {
  return ThrottlerModule.forRoot({
    throttlers: [
      // Everything but webhooks: per user, or per IP when anonymous.
      ...(perMinute > 0 ? [{ name: 'default', ttl: RATE_LIMIT_WINDOW_MS, limit: perMinute, skipIf: isWebhookRequest }] : []),
      // Webhooks only: per source IP, counted apart from the rest.
      ...(webhooksPerMinute > 0
        ? [
            {
              name: 'webhooks',
              ttl: RATE_LIMIT_WINDOW_MS,
              limit: webhooksPerMinute,
              skipIf: (context: ExecutionContext) => !isWebhookRequest(context),
            },
          ]
        : []),
    ],
  });
}
