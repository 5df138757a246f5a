import type { EntityManager } from 'typeorm';
import { claimIdempotencyKey, recordIdempotentResponse } from './idempotency-store.js';
import { type IdempotentRequest, judgeRetry, type RememberedRequest, type StoredResponse } from './idempotent-request.js';

/** How a retry is answered: the caller's replay and the caller's refusal, so each keeps its own answers. */
export interface RetryAnswers<T> {
  /**
   * The answer for a retry: the stored `first.response`, or the resource's state now, read
   * through `first.reference` (an order placed long ago answers with what it has become).
   */
  replay: (first: RememberedRequest) => Promise<T> | T;
  /** The refusal of a key reused with another request: the caller's own problem (status, slug, title). */
  reused: (first: RememberedRequest) => Error;
}

export interface IdempotentWork<T> extends RetryAnswers<T> {
  /** The work, run at most once per key, in the transaction of the claim. */
  run: () => Promise<T>;
  /** The answer to keep for retries, for a scope that replays a stored response. */
  remember?: (result: T) => StoredResponse | undefined;
}

/**
 * Runs `work.run` once per idempotency key, inside the caller's transaction: claims the key, then
 * runs the work and (with `remember`) keeps its answer with the key; a retry gets `replay` of what
 * the first request left, a request reusing the key with another fingerprint gets `reused`.
 * When the work throws, the caller's transaction rolls back and takes the claim with it.
 */
export async function idempotently<T>(manager: EntityManager, request: IdempotentRequest, work: IdempotentWork<T>): Promise<T> {
  const claim = await claimIdempotencyKey(manager, request);
  if (!claim.claimed) return answerRetry(claim.first, request.fingerprint, work);
  const result = await work.run();
  const response = work.remember?.(result);
  if (response) await recordIdempotentResponse(manager, request, response);
  return result;
}

/**
 * The answer to a request whose key is already taken; also for a look before any transaction
 * (`findIdempotencyKey`), so a retry is answered before checks that could now fail.
 */
export async function answerRetry<T>(first: RememberedRequest, fingerprint: string | null, answers: RetryAnswers<T>): Promise<T> {
  if (judgeRetry(first, fingerprint) === 'reused') throw answers.reused(first);
  return answers.replay(first);
}
