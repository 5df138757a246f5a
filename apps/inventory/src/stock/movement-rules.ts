/**
 * The stock ledger's vocabulary. Pure: the same rules are CHECK constraints on stock_movement
 * and stock_level, so that neither a bug here nor a hand-written SQL statement can break them.
 */

export const MOVEMENT_KINDS = ['RECEIPT', 'ADJUSTMENT', 'HOLD', 'RELEASE', 'DEDUCTION', 'RETURN', 'DAMAGED'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/**
 * The reason on the DEDUCTION rows of a paid order's units: what a sale took. An exchange's
 * replacement is deducted too, with a reason of its own (EXCHANGE), and is no sale.
 */
export const ORDER_PAID_REASON = 'ORDER_PAID';

/** What staff may post by hand; the other kinds come from orders and after-sales. */
export const MANUAL_MOVEMENT_KINDS = ['RECEIPT', 'ADJUSTMENT'] as const satisfies readonly MovementKind[];
export type ManualMovementKind = (typeof MANUAL_MOVEMENT_KINDS)[number];

export interface StockDelta {
  onHandDelta: number;
  heldDelta: number;
  /**
   * Returned units that failed inspection (DAMAGED): booked in the warehouse but never sellable,
   * so they count in no level; a SKU's damaged units in a warehouse are the sum of the ledger's.
   */
  damagedDelta: number;
}

export interface Level {
  onHand: number;
  held: number;
}

/** The deltas of one movement; throws when the kind and quantity do not go together. */
export function deltaOf(kind: MovementKind, quantity: number, { consumesHold = false } = {}): StockDelta {
  if (!Number.isSafeInteger(quantity) || quantity === 0) throw new RangeError(`${kind}: quantity must be a non-zero integer`);
  switch (kind) {
    case 'RECEIPT':
      if (quantity < 0) throw new RangeError('RECEIPT: quantity must be positive');
      return { onHandDelta: quantity, heldDelta: 0, damagedDelta: 0 };
    case 'ADJUSTMENT':
      return { onHandDelta: quantity, heldDelta: 0, damagedDelta: 0 };
    case 'HOLD':
      if (quantity < 0) throw new RangeError('HOLD: quantity must be positive');
      return { onHandDelta: 0, heldDelta: quantity, damagedDelta: 0 };
    case 'RELEASE':
      if (quantity < 0) throw new RangeError('RELEASE: quantity must be positive');
      return { onHandDelta: 0, heldDelta: -quantity, damagedDelta: 0 };
    case 'DEDUCTION':
      if (quantity < 0) throw new RangeError('DEDUCTION: quantity must be positive');
      return { onHandDelta: -quantity, heldDelta: consumesHold ? -quantity : 0, damagedDelta: 0 };
    case 'RETURN':
      if (quantity < 0) throw new RangeError('RETURN: quantity must be positive');
      return { onHandDelta: quantity, heldDelta: 0, damagedDelta: 0 };
    case 'DAMAGED':
      if (quantity < 0) throw new RangeError('DAMAGED: quantity must be positive');
      return { onHandDelta: 0, heldDelta: 0, damagedDelta: quantity };
  }
}

export function available(level: Level): number {
  return level.onHand - level.held;
}

/** The level after a movement, or why it cannot happen (held stock is never adjusted away). */
export function applyDelta(level: Level, delta: StockDelta): { ok: true; level: Level } | { ok: false; reason: string } {
  const next = { onHand: level.onHand + delta.onHandDelta, held: level.held + delta.heldDelta };
  if (next.held < 0) return { ok: false, reason: `held would become ${next.held}` };
  if (next.onHand < next.held) {
    return { ok: false, reason: `on hand would become ${next.onHand}, below the ${next.held} held for orders` };
  }
  return { ok: true, level: next };
}
