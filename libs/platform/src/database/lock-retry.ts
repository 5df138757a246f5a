import { defineProblems } from '../problems/define-problems.js';
import { errorChain } from './error-chain.js';
import { isStalePreparedStatement } from './prepared-statements.js';

export const lockProblems = defineProblems('platform', {
  busyTryAgain: {
    slug: 'busy-try-again',
    status: 503,
    title: 'Busy, try again',
    description: 'The request kept colliding with concurrent work on the same rows and was not applied.',
    headers: { 'Retry-After': '1' },
    create: () => ({
      detail:
        'the request collided with concurrent work on the same order or money and was not applied; retry it (with the same Idempotency-Key)',
    }),
  },
});

/**
 * PostgreSQL gave up on the transaction because of another one, not because of the request:
 * a deadlock (40P01) or a serialization failure (40001). Running it again is safe.
 */
export function isLockConflict(error: unknown): boolean {
  for (const link of errorChain(error)) {
    const code = (link as { code?: unknown }).code;
    if (code === '40P01' || code === '40001') return true;
  }
  return false;
}

/**
 * Runs a request's transaction(s), again (a few times, after a short random pause) when
 * PostgreSQL aborted it over a lock conflict or a prepared statement a migration made stale; when that keeps happening, 503 with Retry-After,
 * never a 500. `work` must be safe to run again: each try is its own transaction(s), and what
 * a failed one wrote was rolled back.
 */
export async function withLockRetry<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isLockConflict(error) && !isStalePreparedStatement(error)) throw error;
      if (attempt >= attempts) {
        throw lockProblems.busyTryAgain();
      }
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.floor(Math.random() * 20 * attempt)));
    }
  }
}
