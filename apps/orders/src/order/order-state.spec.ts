import { describe, expect, it } from 'vitest';
import { nextState, ORDER_STATES, type OrderTrigger } from './order-state.js';

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
});
