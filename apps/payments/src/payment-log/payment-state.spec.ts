import { describe, expect, it } from 'vitest';
import { decideProviderOutcome, PAYMENT, PAYMENT_STATES, type PaymentState, stateAfterRefund } from './payment-state.js';

/** The payment table written out by hand, apart from the machine: each state and where it may go. */
const EXPECTED: Record<PaymentState, PaymentState[]> = {
  CREATED: ['PENDING', 'SUCCEEDED', 'FAILED'],
  PENDING: ['SUCCEEDED', 'FAILED', 'CANCELLED'],
  SUCCEEDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  FAILED: ['REFUNDED'],
  CANCELLED: ['REFUNDED'],
  REFUNDED: [],
};

describe('payment state machine', () => {
  it('allows only the documented transitions', () => {
    expect(PAYMENT.canMove('CREATED', 'SUCCEEDED')).toBe(true);
    expect(PAYMENT.canMove('PENDING', 'SUCCEEDED')).toBe(true);
    expect(PAYMENT.canMove('PENDING', 'CANCELLED')).toBe(true);
    expect(PAYMENT.canMove('SUCCEEDED', 'FAILED')).toBe(false);
    expect(PAYMENT.canMove('REFUNDED', 'SUCCEEDED')).toBe(false);
    expect(PAYMENT.canMove('FAILED', 'SUCCEEDED')).toBe(false);
    expect(PAYMENT.canMove('CANCELLED', 'REFUNDED')).toBe(true);
  });

  it('allows every move of the table and refuses every other pair of states', () => {
    expect([...PAYMENT.states].sort()).toEqual([...PAYMENT_STATES].sort());
    for (const from of PAYMENT_STATES) {
      for (const to of PAYMENT_STATES) {
        const allowed = EXPECTED[from].includes(to);
        expect(PAYMENT.canMove(from, to), `${from} → ${to}`).toBe(allowed);
        const decision = PAYMENT.decide(from, to);
        if (allowed) expect(decision).toEqual({ kind: 'move', from, to });
        else if (from === to) expect(decision).toEqual({ kind: 'already-there', state: from });
        else expect(decision).toEqual({ kind: 'refused', from, to });
      }
    }
    expect(PAYMENT.isTerminal('REFUNDED')).toBe(true);
  });

  it('throws a typed error for a move it refuses', () => {
    expect(() => PAYMENT.decideOrThrow('SUCCEEDED', 'FAILED')).toThrow('payment: cannot go from SUCCEEDED to FAILED');
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
