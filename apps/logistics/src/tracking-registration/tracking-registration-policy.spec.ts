import { describe, expect, it } from 'vitest';
import { PermanentRegistrationError, RetryableRegistrationError } from './tracking-registrar.js';
import { backoffAfter, MAX_BACKOFF_MS, TRACKING_REGISTRATION, verdictOf } from './tracking-registration-policy.js';

const policy = { maxAttempts: 12, firstBackoffMs: 30_000 };

describe('tracking registration retries', () => {
  it('waits the first backoff after one failure, doubling after each further one, never more than an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 12].map((attempts) => backoffAfter(attempts, 30_000))).toEqual([
      30_000,
      60_000,
      120_000,
      240_000,
      480_000,
      960_000,
      1_920_000,
      MAX_BACKOFF_MS,
      MAX_BACKOFF_MS,
    ]);
    expect(backoffAfter(1, 200)).toBe(200);
  });

  it('registers on either kind of success, keeping the provider’s reference', () => {
    expect(verdictOf({ result: { outcome: 'REGISTERED', providerRef: 'as-1' } }, 1, policy)).toEqual({
      next: 'REGISTERED',
      providerRef: 'as-1',
    });
    expect(verdictOf({ result: { outcome: 'ALREADY_REGISTERED', providerRef: null } }, 3, policy)).toEqual({
      next: 'REGISTERED',
      providerRef: null,
    });
  });

  it('fails a permanent refusal at the first attempt', () => {
    const error = new PermanentRegistrationError('aftership', 'The value of tracking_number is invalid.', 400);
    expect(verdictOf({ error }, 1, policy)).toEqual({ next: 'FAILED', error: 'aftership: The value of tracking_number is invalid.' });
  });

  it('retries a retryable error, or one nobody classified, until the attempts run out', () => {
    const error = new RetryableRegistrationError('kuaidi100', 'HTTP 502', 502);
    expect(verdictOf({ error }, 1, policy)).toEqual({ next: 'RETRY', afterMs: 30_000, error: 'kuaidi100: HTTP 502' });
    expect(verdictOf({ error: new TypeError('boom') }, 11, policy)).toEqual({ next: 'RETRY', afterMs: MAX_BACKOFF_MS, error: 'boom' });
    expect(verdictOf({ error }, 12, policy)).toEqual({ next: 'FAILED', error: 'gave up after 12 attempts: kuaidi100: HTTP 502' });
  });

  it('keeps a long error message bounded', () => {
    const verdict = verdictOf({ error: new Error('x'.repeat(5_000)) }, 1, policy);
    expect(verdict.next === 'RETRY' && verdict.error.length).toBe(1_000);
  });

  it('ends a registration REGISTERED or FAILED, never to move again', () => {
    expect(TRACKING_REGISTRATION.nextStates('PENDING')).toEqual(['REGISTERED', 'FAILED']);
    expect(TRACKING_REGISTRATION.isTerminal('REGISTERED')).toBe(true);
    expect(TRACKING_REGISTRATION.isTerminal('FAILED')).toBe(true);
  });
});
