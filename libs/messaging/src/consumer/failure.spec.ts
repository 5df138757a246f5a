import { describe, expect, it } from 'vitest';
import { isTransientFailure } from './failure.js';

describe('isTransientFailure', () => {
  it('treats lost connections and serialization conflicts as transient', () => {
    expect(isTransientFailure(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientFailure({ message: 'query failed', driverError: { code: '40001' } })).toBe(true);
    expect(isTransientFailure({ code: '08006' })).toBe(true);
    expect(isTransientFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('treats everything else as the message’s fault', () => {
    expect(isTransientFailure(new Error('thing is poisoned'))).toBe(false);
    expect(isTransientFailure({ code: '23505' })).toBe(false);
    expect(isTransientFailure(undefined)).toBe(false);
  });
});
