/**
 * Which request an idempotency key belongs to: the operation (`scope`, e.g. `place-order`), whose
 * key it is (`requester`: the buyer, the provider, the refund key space) and the key itself. Two
 * requesters may pick the same key without meeting.
 */
export interface IdempotencyKeyRef {
  scope: string;
  requester: string;
  key: string;
}

/** A request as it claims its key. */
export interface IdempotentRequest extends IdempotencyKeyRef {
  /**
   * `fingerprint(…)` of what makes a retry the same request; null for a scope whose retries are
   * never compared (a provider's notification id names one notification, whatever its body).
   */
  fingerprint: string | null;
  /** What the first request makes, known before it runs (the new order's id), so a retry can find it. */
  reference?: string | null;
}

/** An answer kept to be given again, byte for byte, to every retry. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** What the store remembers of the first request with a key. */
export interface RememberedRequest extends IdempotencyKeyRef {
  fingerprint: string | null;
  reference: string | null;
  /** Null until the caller records one, and for scopes that answer from the resource's state. */
  response: StoredResponse | null;
  createdAt: Date;
}

export type RetryVerdict = 'replay' | 'reused';

/**
 * A request that finds its key taken is a retry of the first one only when it fingerprints the
 * same; otherwise the key was reused for another request, which must be refused rather than
 * answered with someone else's result.
 */
export function judgeRetry(first: Pick<RememberedRequest, 'fingerprint'>, retryFingerprint: string | null): RetryVerdict {
  return first.fingerprint === retryFingerprint ? 'replay' : 'reused';
}
