import { describe, expect, it } from 'vitest';
import { canTransition, decideProviderOutcome, stateAfterRefund } from './payment-state.js';

describe('payment state machine', () => {
  it('allows only the documented transitions', () => {
    expect(canTransition('CREATED', 'SUCCEEDED')).toBe(true);
    expect(canTransition('PENDING', 'SUCCEEDED')).toBe(true);
    expect(canTransition('PENDING', 'CANCELLED')).toBe(true);
    expect(canTransition('SUCCEEDED', 'FAILED')).toBe(false);
    expect(canTransition('REFUNDED', 'SUCCEEDED')).toBe(false);
    expect(canTransition('FAILED', 'SUCCEEDED')).toBe(false);
    expect(canTransition('CANCELLED', 'REFUNDED')).toBe(true);
  });

  it('applies provider verdicts once, whatever order they come in', () => {
    expect(decideProviderOutcome('PENDING', false, 'SUCCEEDED')).toEqual({ kind: 'SUCCEED' });
    expect(decideProviderOutcome('PENDING', false, 'FAILED')).toEqual({ kind: 'FAIL' });
    expect(decideProviderOutcome('PENDING', false, 'PENDING').kind).toBe('IGNORE');
    expect(decideProviderOutcome('SUCCEEDED', true, 'SUCCEEDED').kind).toBe('IGNORE');
    expect(decideProviderOutcome('SUCCEEDED', true, 'FAILED')).toEqual({ kind: 'IGNORE', why: 'a late failure never undoes a success' });
    expect(decideProviderOutcome('PARTIALLY_REFUNDED', true, 'FAILED').kind).toBe('IGNORE');
    expect(decideProviderOutcome('FAILED', false, 'FAILED').kind).toBe('IGNORE');
    expect(decideProviderOutcome('FAILED', false, 'SUCCEEDED')).toEqual({ kind: 'REFUND_LATE_CAPTURE' });
    expect(decideProviderOutcome('CANCELLED', false, 'SUCCEEDED')).toEqual({ kind: 'REFUND_LATE_CAPTURE' });
    expect(decideProviderOutcome('CANCELLED', true, 'SUCCEEDED').kind).toBe('IGNORE');
  });

  it('is partially refunded until every minor unit went back', () => {
    expect(stateAfterRefund(1_000, 1)).toBe('PARTIALLY_REFUNDED');
    expect(stateAfterRefund(1_000, 999)).toBe('PARTIALLY_REFUNDED');
    expect(stateAfterRefund(1_000, 1_000)).toBe('REFUNDED');
  });
});
