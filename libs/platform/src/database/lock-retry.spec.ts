import { describe, expect, it } from 'vitest';
import { ProblemException } from '../http/problem-details.js';
import { isLockConflict, withLockRetry } from './lock-retry.js';

const deadlock = () => Object.assign(new Error('deadlock detected'), { driverError: { code: '40P01' } });

describe('withLockRetry', () => {
  it('runs the work again after a deadlock or a serialization failure', async () => {
    let calls = 0;
    const result = await withLockRetry(async () => {
      calls += 1;
      if (calls === 1) throw deadlock();
      if (calls === 2) throw Object.assign(new Error('could not serialize'), { code: '40001' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('answers 503 with Retry-After when the conflict keeps coming back, never the raw error', async () => {
    let calls = 0;
    const failure = await withLockRetry(async () => {
      calls += 1;
      throw deadlock();
    }, 3).catch((error: unknown) => error);
    expect(calls).toBe(3);
    expect(failure).toBeInstanceOf(ProblemException);
    const problem = (failure as ProblemException).toProblem();
    expect(problem.status).toBe(503);
    expect(problem.type).toMatch(/busy-try-again$/);
  });

  it('passes any other error through at once', async () => {
    let calls = 0;
    await expect(
      withLockRetry(async () => {
        calls += 1;
        throw Object.assign(new Error('duplicate key'), { code: '23505' });
      }),
    ).rejects.toThrow('duplicate key');
    expect(calls).toBe(1);
    expect(isLockConflict(new Error('x'))).toBe(false);
  });
});
