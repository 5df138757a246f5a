import { describe, expect, it } from 'vitest';
import { checkUnpaidAllowance } from './unpaid-allowance.js';

describe('checkUnpaidAllowance', () => {
  const allowance = { maxUnpaidOrders: 3, maxHeldUnits: 10 };

  it('lets a buyer place up to the cap of unpaid orders, and not one more', () => {
    expect(checkUnpaidAllowance(allowance, { unpaidOrders: 2, heldUnits: 0 }, 1)).toEqual({ ok: true });
    expect(checkUnpaidAllowance(allowance, { unpaidOrders: 3, heldUnits: 0 }, 1)).toEqual({
      ok: false,
      exceeded: 'UNPAID_ORDERS',
      limit: 3,
      current: 3,
    });
  });

  it('counts the units the new order would hold on top of those already held', () => {
    expect(checkUnpaidAllowance(allowance, { unpaidOrders: 1, heldUnits: 6 }, 4)).toEqual({ ok: true });
    expect(checkUnpaidAllowance(allowance, { unpaidOrders: 1, heldUnits: 6 }, 5)).toEqual({
      ok: false,
      exceeded: 'HELD_UNITS',
      limit: 10,
      current: 6,
      requested: 5,
    });
  });

  it('does not count an order that holds nothing against the units cap', () => {
    expect(checkUnpaidAllowance(allowance, { unpaidOrders: 0, heldUnits: 50 }, 0)).toEqual({ ok: true });
  });

  it('treats 0 as no cap', () => {
    expect(checkUnpaidAllowance({ maxUnpaidOrders: 0, maxHeldUnits: 0 }, { unpaidOrders: 1_000, heldUnits: 1_000_000 }, 500)).toEqual({
      ok: true,
    });
  });

  it('refuses a single order larger than the units cap even for a buyer with nothing unpaid', () => {
    expect(checkUnpaidAllowance(allowance, { unpaidOrders: 0, heldUnits: 0 }, 11)).toMatchObject({ ok: false, exceeded: 'HELD_UNITS' });
  });
});
