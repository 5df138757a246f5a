import { describe, expect, it } from 'vitest';
import { retryBackoffMs } from './backoff.js';

describe('retry backoff', () => {
  it('starts at the first wait, doubles, and stops at the cap', () => {
    const policy = { firstMs: 1_000, maxMs: 5_000 };
    expect([0, 1, 2, 3, 4, 10].map((attempts) => retryBackoffMs(attempts, policy))).toEqual([1_000, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});
