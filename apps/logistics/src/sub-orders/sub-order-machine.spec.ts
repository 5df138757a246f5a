import { FULFILMENT_TYPES, SUB_ORDER_STATES } from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { allowedFor, SUB_ORDER } from './sub-order-machine.js';

describe('the sub-order state machine', () => {
  it('covers every sub-order state of the contract, and ends in SHIPPED, INTERCEPTED or CANCELLED', () => {
    expect([...SUB_ORDER.states].sort()).toEqual([...SUB_ORDER_STATES].sort());
    expect(SUB_ORDER_STATES.filter((state) => SUB_ORDER.isTerminal(state)).sort()).toEqual(['CANCELLED', 'INTERCEPTED', 'SHIPPED']);
  });

  it('walks our own warehouse through pick and pack, never straight to shipped', () => {
    const path = ['AWAITING_PICK', 'PICKING', 'PACKED', 'PARTIALLY_SHIPPED', 'SHIPPED'] as const;
    for (let step = 1; step < path.length; step += 1) expect(allowedFor('SELF_OPERATED', path[step - 1], path[step])).toBe(true);
    expect(allowedFor('SELF_OPERATED', 'AWAITING_PICK', 'SHIPPED')).toBe(false);
    expect(allowedFor('SELF_OPERATED', 'AWAITING_PICK', 'CANCELLED')).toBe(false);
    expect(allowedFor('SELF_OPERATED', 'PACKED', 'SHIPPED')).toBe(true);
  });

  it('lets a merchant or a platform report its shipment without our pick and pack', () => {
    for (const type of ['DROP_SHIP', 'THIRD_PARTY_PLATFORM'] as const) {
      expect(allowedFor(type, 'AWAITING_PICK', 'SHIPPED')).toBe(true);
      expect(allowedFor(type, 'AWAITING_PICK', 'PARTIALLY_SHIPPED')).toBe(true);
      expect(allowedFor(type, 'AWAITING_PICK', 'PICKING')).toBe(false);
    }
  });

  it('cancels outright only a platform purchase still in its window', () => {
    expect(allowedFor('THIRD_PARTY_PLATFORM', 'AWAITING_PICK', 'CANCELLED')).toBe(true);
    expect(allowedFor('DROP_SHIP', 'AWAITING_PICK', 'CANCELLED')).toBe(false);
  });

  it('goes back from an interception that failed only to where a sub-order can be before shipping, and never leaves an end', () => {
    for (const type of FULFILMENT_TYPES) {
      expect(allowedFor(type, 'INTERCEPTING', 'INTERCEPTED')).toBe(true);
      expect(allowedFor(type, 'INTERCEPTING', 'SHIPPED')).toBe(false);
      for (const end of ['SHIPPED', 'INTERCEPTED', 'CANCELLED'] as const) {
        for (const to of SUB_ORDER_STATES) expect(allowedFor(type, end, to)).toBe(false);
      }
    }
    expect(allowedFor('SELF_OPERATED', 'INTERCEPTING', 'PACKED')).toBe(true);
    expect(allowedFor('SELF_OPERATED', 'PARTIALLY_SHIPPED', 'INTERCEPTING')).toBe(false);
  });
});
