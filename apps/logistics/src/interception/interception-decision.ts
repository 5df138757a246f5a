import type { FulfilmentType, InterceptionRefusalReason, SubOrderState } from '@mallard/contracts';

/**
 * What a shopper's cancel after payment does to one sub-order (docs/logistics.md, "Interception"):
 * - `CANCEL`: a platform purchase still held back is simply not placed: CANCELLED at once;
 * - `STOP`: our own warehouse stops it while nothing is with a carrier: INTERCEPTING, then INTERCEPTED;
 * - `ASK_MERCHANT`: a drop-ship merchant is asked and answers through its staff route: INTERCEPTING;
 * - `REFUSE`: too late, the shopper's way is after-sales;
 * - `NOTHING`: it is already stopping or stopped (a repeated request).
 */
export type InterceptionDecision =
  | { action: 'CANCEL' }
  | { action: 'STOP' }
  | { action: 'ASK_MERCHANT' }
  | { action: 'REFUSE'; reason: InterceptionRefusalReason }
  | { action: 'NOTHING' };

export interface InterceptionFacts {
  fulfilmentType: FulfilmentType;
  state: SubOrderState;
  /** Third-party platform only: the purchase was placed with the platform. */
  purchasedFromPlatform: boolean;
}

const STOPPING_OR_STOPPED: ReadonlySet<SubOrderState> = new Set(['INTERCEPTING', 'INTERCEPTED', 'CANCELLED']);
const WITH_A_CARRIER: ReadonlySet<SubOrderState> = new Set(['PARTIALLY_SHIPPED', 'SHIPPED']);

export function decideInterception(facts: InterceptionFacts): InterceptionDecision {
  if (STOPPING_OR_STOPPED.has(facts.state)) return { action: 'NOTHING' };
  if (WITH_A_CARRIER.has(facts.state)) return { action: 'REFUSE', reason: 'ALREADY_SHIPPED' };
  switch (facts.fulfilmentType) {
    case 'THIRD_PARTY_PLATFORM':
      return facts.purchasedFromPlatform ? { action: 'REFUSE', reason: 'PURCHASED_FROM_PLATFORM' } : { action: 'CANCEL' };
    case 'SELF_OPERATED':
      return { action: 'STOP' };
    case 'DROP_SHIP':
      return { action: 'ASK_MERCHANT' };
  }
}
