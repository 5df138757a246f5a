import { retryBackoffMs, StateMachine } from '@mallard/platform';
import { PermanentRegistrationError, type RegistrationResult } from './tracking-registrar.js';

export const TRACKING_REGISTRATION_STATES = ['PENDING', 'REGISTERED', 'FAILED'] as const;
export type TrackingRegistrationState = (typeof TRACKING_REGISTRATION_STATES)[number];

/** A registration waits (PENDING, retried meanwhile) until the provider took it or it was given up. */
export const TRACKING_REGISTRATION = new StateMachine<TrackingRegistrationState>({
  name: 'tracking-registration',
  transitions: { PENDING: ['REGISTERED', 'FAILED'], REGISTERED: [], FAILED: [] },
  initial: ['PENDING'],
  terminal: ['REGISTERED', 'FAILED'],
});

/** However many attempts failed, the next one is at most an hour away. */
export const MAX_BACKOFF_MS = 3_600_000;

export interface RetryPolicy {
  /** Attempts after which a registration that still fails is given up. */
  maxAttempts: number;
  /** The wait after the first failure; it doubles after each further one. */
  firstBackoffMs: number;
}

/** What one attempt leads to. */
export type AttemptVerdict =
  | { next: 'REGISTERED'; providerRef: string | null }
  | { next: 'FAILED'; error: string }
  | { next: 'RETRY'; afterMs: number; error: string };

/** The wait before attempt `attempts + 1`, after `attempts` failed ones: doubling, capped at an hour. */
export function backoffAfter(attempts: number, firstBackoffMs: number): number {
  return retryBackoffMs(attempts, { firstMs: firstBackoffMs, maxMs: MAX_BACKOFF_MS });
}

/**
 * Attempt number `attempts` (1 for the first) ended with `outcome`. A permanent error fails the
 * registration at once; any other error (the retryable kind, or one nobody classified) is tried
 * again after the backoff, until the attempts run out.
 */
export function verdictOf(
  outcome: { result: RegistrationResult } | { error: unknown },
  attempts: number,
  policy: RetryPolicy,
): AttemptVerdict {
  if ('result' in outcome) return { next: 'REGISTERED', providerRef: outcome.result.providerRef };
  const error = describe(outcome.error);
  if (outcome.error instanceof PermanentRegistrationError) return { next: 'FAILED', error };
  if (attempts >= policy.maxAttempts) return { next: 'FAILED', error: `gave up after ${attempts} attempts: ${error}` };
  return { next: 'RETRY', afterMs: backoffAfter(attempts, policy.firstBackoffMs), error };
}

/** The error as last_error keeps it: its message, bounded. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1_000);
}
