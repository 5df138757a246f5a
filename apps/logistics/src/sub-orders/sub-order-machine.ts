import type { FulfilmentType, SubOrderState } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';

/**
 * A sub-order in its warehouse or at its merchant (docs/logistics.md, "Sub-orders"):
 * AWAITING_PICK → PICKING → PACKED → SHIPPED once every unit is with a carrier, through
 * PARTIALLY_SHIPPED while only some are; INTERCEPTING → INTERCEPTED when a shopper's cancel
 * stops it, or back to where it was when it could not be stopped; CANCELLED when a platform
 * purchase is dropped inside its window.
 */
export const SUB_ORDER = new StateMachine<SubOrderState>({
  name: 'sub-order',
  transitions: {
    AWAITING_PICK: ['PICKING', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INTERCEPTING', 'CANCELLED'],
    PICKING: ['PACKED', 'INTERCEPTING'],
    PACKED: ['PARTIALLY_SHIPPED', 'SHIPPED', 'INTERCEPTING'],
    PARTIALLY_SHIPPED: ['SHIPPED'],
    INTERCEPTING: ['INTERCEPTED', 'AWAITING_PICK', 'PICKING', 'PACKED'],
    SHIPPED: [],
    INTERCEPTED: [],
    CANCELLED: [],
  },
  initial: ['AWAITING_PICK'],
  terminal: ['SHIPPED', 'INTERCEPTED', 'CANCELLED'],
});

/**
 * What each fulfilment type may do on top of the table. Our own warehouse picks and packs
 * before anything ships; a merchant (drop-ship) or a platform reports its shipment straight
 * from AWAITING_PICK, without our pick and pack steps; only a platform purchase still inside
 * its window is simply cancelled.
 */
export function allowedFor(type: FulfilmentType, from: SubOrderState, to: SubOrderState): boolean {
  if (!SUB_ORDER.canMove(from, to)) return false;
  if (type === 'SELF_OPERATED')
    return !(from === 'AWAITING_PICK' && (to === 'SHIPPED' || to === 'PARTIALLY_SHIPPED' || to === 'CANCELLED'));
  if (to === 'PICKING' || to === 'PACKED') return false;
  if (to === 'CANCELLED') return type === 'THIRD_PARTY_PLATFORM';
  return true;
}
