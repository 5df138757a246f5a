import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { BearerAuthenticator, type RequestWithUser } from '../auth/index.js';
import { edgeProblems } from './edge.problems.js';
import { isUnlimitedPath, isWebhookPath, RATE_LIMIT_WINDOW_MS } from './rate-limit.js';

/**
 * Counts authenticated callers by user id (many shoppers may share a NAT or a mobile
 * carrier's IP) and everyone else by IP; webhooks by IP in a bucket of their own. It runs before the auth guard, so floods of missing
 * or forged tokens are limited too; the token is verified once and shared with that guard.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  @Inject(BearerAuthenticator)
  private readonly authenticator!: BearerAuthenticator;

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return isUnlimitedPath(context.switchToHttp().getRequest<{ url?: string }>().url);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature ThrottlerGuard declares
  protected override async getTracker(request: Record<string, any>): Promise<string> {
    // Providers and carriers sign their callbacks instead of sending a token: counted by address
    // (in the separate 'webhooks' throttler, see rateLimitModule).
    if (isWebhookPath(request.url)) return `ip:${normalizeIp(request.ip ?? 'unknown')}`;
    const outcome = this.authenticator.authenticate(request as RequestWithUser);
    return outcome.kind === 'authenticated' ? `user:${outcome.user.id}` : `ip:${normalizeIp(request.ip ?? 'unknown')}`;
  }

  /** One budget per client for the whole API, not one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(limit.timeToBlockExpire));
    const perMinute = Math.round((limit.limit * 60_000) / (limit.ttl || RATE_LIMIT_WINDOW_MS));
    throw edgeProblems.tooManyRequests(perMinute, retryAfter);
  }
}
