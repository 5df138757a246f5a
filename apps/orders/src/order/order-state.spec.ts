import { describe, expect, it } from 'vitest';
import { ORDER, ORDER_STATES, type OrderState, type OrderTrigger } from './order-state.js';

/** Where the trigger moves an order in `state`, or undefined when it is no move there. */
function nextState(state: OrderState, trigger: OrderTrigger): OrderState | undefined {
  const decision = ORDER.fire(state, trigger);
  return decision.kind === 'move' ? decision.to : undefined;
}

/** The saga's table written out by hand, apart from the machine: each state, the triggers that apply in it, where they lead. */
const EXPECTED: Record<OrderState, Partial<Record<OrderTrigger, OrderState>>> = {
  PLACED: {
    STOCK_RESERVED: 'AWAITING_PAYMENT',
    STOCK_UNAVAILABLE: 'CANCELLED',
    PAYMENT_SUCCEEDED: 'PAID',
    CANCELLED_BY_SHOPPER: 'CANCELLED',
    PAYMENT_WINDOW_ELAPSED: 'CANCELLED',
    HOLD_EXPIRED: 'CANCELLED',
  },
  AWAITING_PAYMENT: {
    PAYMENT_SUCCEEDED: 'PAID',
    CANCELLED_BY_SHOPPER: 'CANCELLED',
    PAYMENT_WINDOW_ELAPSED: 'CANCELLED',
    HOLD_EXPIRED: 'CANCELLED',
  },
  PAID: { STOCK_DEDUCTED: 'SPLIT', STOCK_DEDUCTION_FAILED: 'FAILED' },
  SPLIT: {},
  CANCELLED: {},
  FAILED: {},
};
const TRIGGERS: OrderTrigger[] = [
  'STOCK_RESERVED',
  'STOCK_UNAVAILABLE',
  'PAYMENT_SUCCEEDED',
  'STOCK_DEDUCTED',
  'STOCK_DEDUCTION_FAILED',
  'CANCELLED_BY_SHOPPER',
  'PAYMENT_WINDOW_ELAPSED',
  'HOLD_EXPIRED',
];

describe('order state machine', () => {
  it('walks the happy path', () => {
    expect(nextState('PLACED', 'STOCK_RESERVED')).toBe('AWAITING_PAYMENT');
    expect(nextState('AWAITING_PAYMENT', 'PAYMENT_SUCCEEDED')).toBe('PAID');
    expect(nextState('PAID', 'STOCK_DEDUCTED')).toBe('SPLIT');
  });

  it('closes unpaid orders however they end', () => {
    for (const trigger of ['CANCELLED_BY_SHOPPER', 'PAYMENT_WINDOW_ELAPSED', 'HOLD_EXPIRED'] as OrderTrigger[]) {
      expect(nextState('PLACED', trigger)).toBe('CANCELLED');
      expect(nextState('AWAITING_PAYMENT', trigger)).toBe('CANCELLED');
    }
    expect(nextState('PLACED', 'STOCK_UNAVAILABLE')).toBe('CANCELLED');
  });

  it('lets nothing cancel a paid order here, and nothing leave a final state', () => {
    expect(nextState('PAID', 'CANCELLED_BY_SHOPPER')).toBeUndefined();
    expect(nextState('PAID', 'PAYMENT_WINDOW_ELAPSED')).toBeUndefined();
    expect(nextState('PAID', 'STOCK_DEDUCTION_FAILED')).toBe('FAILED');
    for (const final of ['SPLIT', 'CANCELLED', 'FAILED'] as const) {
      for (const trigger of ['STOCK_RESERVED', 'PAYMENT_SUCCEEDED', 'STOCK_DEDUCTED', 'HOLD_EXPIRED'] as OrderTrigger[]) {
        expect(nextState(final, trigger)).toBeUndefined();
      }
    }
    expect(ORDER_STATES).toHaveLength(6);
  });

  it('ignores a late stock reservation once the order moved on', () => {
    expect(nextState('CANCELLED', 'STOCK_RESERVED')).toBeUndefined();
    expect(nextState('PAID', 'STOCK_RESERVED')).toBeUndefined();
  });

  it('moves on exactly the triggers of the table, and on no other in any state', () => {
    for (const state of ORDER_STATES) {
      for (const trigger of TRIGGERS) {
        const wanted = EXPECTED[state][trigger];
        const decision = ORDER.fire(state, trigger);
        if (wanted) expect(decision, `${state} + ${trigger}`).toEqual({ kind: 'move', from: state, to: wanted });
        else expect(decision.kind, `${state} + ${trigger}`).not.toBe('move');
      }
    }
  });

  it('allows exactly the moves the triggers make, and refuses every other pair of states', () => {
    for (const from of ORDER_STATES) {
      const reachable = new Set(Object.values(EXPECTED[from]));
      for (const to of ORDER_STATES) expect(ORDER.canMove(from, to), `${from} → ${to}`).toBe(reachable.has(to));
    }
    expect([...ORDER.states].sort()).toEqual([...ORDER_STATES].sort());
    for (const final of ['SPLIT', 'CANCELLED', 'FAILED'] as const) expect(ORDER.isTerminal(final)).toBe(true);
  });

  it('takes a trigger towards the state the order is already in as already there, never as a move', () => {
    expect(ORDER.fire('CANCELLED', 'CANCELLED_BY_SHOPPER')).toEqual({ kind: 'already-there', state: 'CANCELLED' });
    expect(ORDER.fire('PAID', 'PAYMENT_SUCCEEDED')).toEqual({ kind: 'already-there', state: 'PAID' });
    expect(ORDER.fire('CANCELLED', 'STOCK_RESERVED')).toEqual({
      kind: 'refused',
      from: 'CANCELLED',
      to: 'AWAITING_PAYMENT',
      trigger: 'STOCK_RESERVED',
    });
  });
});
