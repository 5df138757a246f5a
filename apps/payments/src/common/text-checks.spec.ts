import { describe, expect, it } from 'vitest';
import { hasControlCharacters, isCalendarDate } from './text-checks.js';

describe('text checks', () => {
  it('accepts only days that exist', () => {
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2026-12-31')).toBe(true);
    for (const bad of ['2020-02-30', '2021-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-1', '2026-01-01T00:00:00Z', ''])
      expect(isCalendarDate(bad), bad).toBe(false);
  });

  it('finds NUL and other control characters', () => {
    expect(hasControlCharacters('evt_1\u0000')).toBe(true);
    expect(hasControlCharacters('line\nbreak')).toBe(true);
    expect(hasControlCharacters('P20261125000000042')).toBe(false);
    expect(hasControlCharacters('支付')).toBe(false);
  });
});
