import { FULFILMENT_TYPES, SUB_ORDER_STATES } from '@mallard/contracts';
import { describe, expect, it } from 'vitest';
import { decideInterception } from './interception-decision.js';

describe('interception decision', () => {
  it('cancels a platform purchase still held back, and refuses one already placed', () => {
    expect(decideInterception({ fulfilmentType: 'THIRD_PARTY_PLATFORM', state: 'AWAITING_PICK', purchasedFromPlatform: false })).toEqual({
      action: 'CANCEL',
    });
    expect(decideInterception({ fulfilmentType: 'THIRD_PARTY_PLATFORM', state: 'AWAITING_PICK', purchasedFromPlatform: true })).toEqual({
      action: 'REFUSE',
      reason: 'PURCHASED_FROM_PLATFORM',
    });
  });

  it('stops our own warehouse’s sub-order until a parcel is with a carrier, packed included', () => {
    for (const state of ['AWAITING_PICK', 'PICKING', 'PACKED'] as const) {
      expect(decideInterception({ fulfilmentType: 'SELF_OPERATED', state, purchasedFromPlatform: false })).toEqual({ action: 'STOP' });
    }
    expect(decideInterception({ fulfilmentType: 'SELF_OPERATED', state: 'PARTIALLY_SHIPPED', purchasedFromPlatform: false })).toEqual({
      action: 'REFUSE',
      reason: 'ALREADY_SHIPPED',
    });
  });

  it('asks a drop-ship merchant', () => {
    expect(decideInterception({ fulfilmentType: 'DROP_SHIP', state: 'AWAITING_PICK', purchasedFromPlatform: false })).toEqual({
      action: 'ASK_MERCHANT',
    });
  });

  it('refuses every shipped sub-order and does nothing twice, whatever its type', () => {
    for (const fulfilmentType of FULFILMENT_TYPES) {
      for (const state of SUB_ORDER_STATES) {
        const decision = decideInterception({ fulfilmentType, state, purchasedFromPlatform: false });
        if (state === 'SHIPPED' || state === 'PARTIALLY_SHIPPED') expect(decision).toEqual({ action: 'REFUSE', reason: 'ALREADY_SHIPPED' });
        if (state === 'INTERCEPTING' || state === 'INTERCEPTED' || state === 'CANCELLED') expect(decision).toEqual({ action: 'NOTHING' });
      }
    }
  });
});
