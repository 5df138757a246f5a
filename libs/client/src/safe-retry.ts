/** How the client retries; `attempts` counts the first try. */
export interface RetryPolicy {
  attempts: number;
  /** The wait before the second try when the answer names none; it doubles on each further try. */
  baseDelayMs: number;
  /** No wait is longer, whatever Retry-After says: past it, the error is the caller's to handle. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 5_000 };
export const NO_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * A request may be sent again only when a second copy cannot do anything twice: its method is
 * idempotent, or it carries an Idempotency-Key, so the gateway answers a repeat with the first
 * outcome. A POST without a key (cancel, a refund, a gift card) is never retried.
 */
export function isSafeToRetry(request: Request): boolean {
  return IDEMPOTENT_METHODS.has(request.method.toUpperCase()) || request.headers.has('idempotency-key');
}

/**
 * The answers worth waiting for: 429 and 503 (the gateway applied nothing and says when to come
 * back), and any answer with Retry-After (payments' "order not known yet" 404). A 502 is final:
 * the provider refused, and a new attempt needs a new key.
 */
export function retryDelayMs(response: Response, attempt: number, policy: RetryPolicy): number | undefined {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter === null && response.status !== 429 && response.status !== 503) return undefined;
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  const delay = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : backoffMs(attempt, policy);
  return Math.min(delay, policy.maxDelayMs);
}

const backoffMs = (attempt: number, policy: RetryPolicy): number => policy.baseDelayMs * 2 ** (attempt - 1);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A fetch that tries a safe request again after a network failure or an answer that asks for
 * it, the same request every time (same Idempotency-Key), and never a request that is not safe.
 */
export function retryingFetch(policy: RetryPolicy, send: (request: Request) => Promise<Response> = globalThis.fetch) {
  return async (request: Request): Promise<Response> => {
    const retrying = policy.attempts > 1 && isSafeToRetry(request);
    if (!retrying) return send(request);
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= policy.attempts;
      let response: Response;
      try {
        // A body can be read once: every try sends its own copy.
        response = await send(last ? request : request.clone());
      } catch (error) {
        if (last || request.signal.aborted) throw error;
        await sleep(backoffMs(attempt, policy));
        continue;
      }
      const delay = last ? undefined : retryDelayMs(response, attempt, policy);
      if (delay === undefined) return response;
      await response.body?.cancel();
      await sleep(delay);
    }
  };
}
