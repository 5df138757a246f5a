/**
 * How much one buyer may keep unpaid at once, so that nobody can tie up stock by placing
 * orders they never pay (each holds its reserve-on-order units until paid or closed). Pure:
 * placement counts the buyer's open orders under a per-buyer lock and asks this.
 */
export interface UnpaidAllowance {
  /** Orders in PLACED or AWAITING_PAYMENT at once; 0 = no cap. */
  maxUnpaidOrders: number;
  /** Units of reserve-on-order lines (what inventory holds) over those orders; 0 = no cap. */
  maxHeldUnits: number;
}

export interface UnpaidStanding {
  unpaidOrders: number;
  heldUnits: number;
}

export type AllowanceVerdict =
  | { ok: true }
  | { ok: false; exceeded: 'UNPAID_ORDERS'; limit: number; current: number }
  | { ok: false; exceeded: 'HELD_UNITS'; limit: number; current: number; requested: number };

/** Whether one more order holding `requestedHeldUnits` keeps the buyer within the allowance. */
export function checkUnpaidAllowance(allowance: UnpaidAllowance, standing: UnpaidStanding, requestedHeldUnits: number): AllowanceVerdict {
  if (allowance.maxUnpaidOrders > 0 && standing.unpaidOrders + 1 > allowance.maxUnpaidOrders) {
    return { ok: false, exceeded: 'UNPAID_ORDERS', limit: allowance.maxUnpaidOrders, current: standing.unpaidOrders };
  }
  if (allowance.maxHeldUnits > 0 && requestedHeldUnits > 0 && standing.heldUnits + requestedHeldUnits > allowance.maxHeldUnits) {
    return { ok: false, exceeded: 'HELD_UNITS', limit: allowance.maxHeldUnits, current: standing.heldUnits, requested: requestedHeldUnits };
  }
  return { ok: true };
}
