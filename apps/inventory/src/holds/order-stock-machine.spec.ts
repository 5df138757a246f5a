import { StateMachine, TransitionRefusedError } from '@mallard/platform';
import { describe, expect, it } from 'vitest';
import { ORDER_STOCK_STATES, type OrderStockState, onCancelled, onHoldExpired, onPaid, onPlaced } from './order-stock.js';
import { ORDER_STOCK } from './order-stock-machine.js';

// The moves the machine must allow, written out here independently of its table.
const ALLOWED: Record<OrderStockState, readonly OrderStockState[]> = {
  NEW: ['HELD', 'NOTHING_HELD', 'RESERVATION_FAILED', 'CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
  HELD: ['CANCELLED', 'EXPIRED', 'DEDUCTED', 'DEDUCTION_FAILED'],
  NOTHING_HELD: ['CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
  RESERVATION_FAILED: ['CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
  EXPIRED: ['CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
  CANCELLED: ['DEDUCTED', 'DEDUCTION_FAILED'],
  DEDUCTED: [],
  DEDUCTION_FAILED: [],
};

const move = (from: OrderStockState, to: OrderStockState) => `${from} → ${to}`;
const pairs = ORDER_STOCK_STATES.flatMap((from) => ORDER_STOCK_STATES.map((to) => [from, to] as const));

/** The states HoldsService writes for each decision of the rules (holds.service.ts). */
function movesTheRulesMake(): Set<string> {
  const moves = new Set<string>();
  const add = (from: OrderStockState, ...targets: OrderStockState[]) => {
    for (const to of targets) moves.add(move(from, to));
  };
  for (const state of ORDER_STOCK_STATES) {
    // order.placed: held, nothing to hold, or short.
    if (onPlaced(state) === 'reserve') add(state, 'HELD', 'NOTHING_HELD', 'RESERVATION_FAILED');
    // order.cancelled: the holds released, or the cancel remembered.
    if (onCancelled(state) !== 'ignore') add(state, 'CANCELLED');
    // order.paid: deducted or not.
    if (onPaid(state) === 'deduct') add(state, 'DEDUCTED', 'DEDUCTION_FAILED');
    // the hold-expiry worker.
    if (onHoldExpired(state) === 'release') add(state, 'EXPIRED');
  }
  return moves;
}

describe('the ORDER_STOCK state machine', () => {
  it('is a sound definition over exactly the states of order_stock', () => {
    expect(ORDER_STOCK).toBeInstanceOf(StateMachine);
    expect([...ORDER_STOCK.states].sort()).toEqual([...ORDER_STOCK_STATES].sort());
    expect(ORDER_STOCK_STATES.filter((state) => ORDER_STOCK.isTerminal(state))).toEqual(['DEDUCTED', 'DEDUCTION_FAILED']);
  });

  it('allows every listed move', () => {
    for (const from of ORDER_STOCK_STATES)
      for (const to of ALLOWED[from]) expect(ORDER_STOCK.decide(from, to), move(from, to)).toEqual({ kind: 'move', from, to });
  });

  it('refuses every other move, and calls asking for the current state already there', () => {
    for (const [from, to] of pairs) {
      if (ALLOWED[from].includes(to)) continue;
      const expected = from === to ? { kind: 'already-there', state: from } : { kind: 'refused', from, to };
      expect(ORDER_STOCK.decide(from, to), move(from, to)).toEqual(expected);
    }
    expect(() => ORDER_STOCK.decideOrThrow('DEDUCTED', 'CANCELLED')).toThrow(TransitionRefusedError);
    expect(() => ORDER_STOCK.decideOrThrow('HELD', 'NOTHING_HELD')).toThrow('order stock: cannot go from HELD to NOTHING_HELD');
  });

  it('allows exactly the moves the order-stock rules lead to', () => {
    const machine = new Set(pairs.filter(([from, to]) => ORDER_STOCK.canMove(from, to)).map(([from, to]) => move(from, to)));
    expect([...machine].sort()).toEqual([...movesTheRulesMake()].sort());
  });
});
