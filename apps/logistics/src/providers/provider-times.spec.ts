import { describe, expect, it } from 'vitest';
import { fromUnixSeconds, parseProviderTime } from './provider-times.js';

describe('provider times', () => {
  it('reads ISO 8601 with its own offset, and a missing offset in the provider’s documented zone', () => {
    expect(parseProviderTime('2026-03-10T12:34:56+08:00', 'Z')?.toISOString()).toBe('2026-03-10T04:34:56.000Z');
    expect(parseProviderTime('2026-03-10T12:34:56Z', '+08:00')?.toISOString()).toBe('2026-03-10T12:34:56.000Z');
    expect(parseProviderTime('2026-03-10T12:34:56', 'Z')?.toISOString()).toBe('2026-03-10T12:34:56.000Z');
    expect(parseProviderTime('2026-03-10 12:34:56', '+08:00')?.toISOString()).toBe('2026-03-10T04:34:56.000Z');
    expect(parseProviderTime('2026-03-10T12:34:56.1234567-0500', null)?.toISOString()).toBe('2026-03-10T17:34:56.123Z');
    expect(parseProviderTime('2026-03-10T12:34', 'Z')?.toISOString()).toBe('2026-03-10T12:34:00.000Z');
  });

  it('refuses loose forms, impossible dates, and a missing offset where the format demands one', () => {
    for (const bad of ['2026-02-30T10:00:00Z', '2026-03-10T24:00:00Z', 'March 10 2026', '1773146096', '', '2026-03-10']) {
      expect(parseProviderTime(bad, 'Z'), bad).toBeNull();
    }
    expect(parseProviderTime('2026-03-10T12:34:56', null)).toBeNull();
    expect(parseProviderTime(20260310, 'Z')).toBeNull();
  });

  it('reads unix seconds as a number or its digits', () => {
    expect(fromUnixSeconds(1_773_146_096)?.toISOString()).toBe('2026-03-10T12:34:56.000Z');
    expect(fromUnixSeconds('1773146096')?.toISOString()).toBe('2026-03-10T12:34:56.000Z');
    for (const bad of [0, -1, 1.5, 'soon', null]) expect(fromUnixSeconds(bad)).toBeNull();
  });
});
