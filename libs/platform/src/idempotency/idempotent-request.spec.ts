import { describe, expect, it } from 'vitest';
import { judgeRetry, type RememberedRequest } from './idempotent-request.js';
import { answerRetry } from './idempotently.js';

const first: RememberedRequest = {
  scope: 'place-order',
  requester: 'buyer-1',
  key: 'k-1',
  fingerprint: 'f-1',
  reference: 'order-1',
  response: null,
  createdAt: new Date(),
};

describe('judgeRetry', () => {
  it('replays a retry with the same fingerprint', () => {
    expect(judgeRetry(first, 'f-1')).toBe('replay');
  });

  it('refuses a key reused with another fingerprint', () => {
    expect(judgeRetry(first, 'f-2')).toBe('reused');
  });

  it('replays every retry of a scope that does not compare bodies', () => {
    expect(judgeRetry({ fingerprint: null }, null)).toBe('replay');
  });

  it('refuses when only one side has a fingerprint, since the scope changed what it compares', () => {
    expect(judgeRetry({ fingerprint: null }, 'f-1')).toBe('reused');
    expect(judgeRetry(first, null)).toBe('reused');
  });
});

describe('answerRetry', () => {
  const answers = {
    replay: (remembered: RememberedRequest) => `order ${remembered.reference}`,
    reused: () => new Error('idempotency-key-reused'),
  };

  it('gives the caller’s replay of what the first request left', async () => {
    await expect(answerRetry(first, 'f-1', answers)).resolves.toBe('order order-1');
  });

  it('throws the caller’s own refusal for a reused key', async () => {
    await expect(answerRetry(first, 'f-2', answers)).rejects.toThrow('idempotency-key-reused');
  });
});
