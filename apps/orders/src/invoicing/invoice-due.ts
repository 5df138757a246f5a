/** Units of one order line in a sub-order, a parcel, or a compensation. */
interface Units {
  lineId: string;
  quantity: number;
}

/**
 * Whether a sub-order's goods have reached the shopper, for its invoice (docs/domain.md §2,
 * "Invoices"): every unit delivered or given back (stopped, refused, refunded), and some of them
 * delivered. A sub-order given back whole is not invoiced on its own: nothing was sold.
 */
export function subOrderDelivered(pieces: readonly Units[], delivered: readonly Units[], givenBack: readonly Units[]): boolean {
  const count = (units: readonly Units[], lineId: string) =>
    units.reduce((sum, unit) => sum + (unit.lineId === lineId ? unit.quantity : 0), 0);
  if (!pieces.some((piece) => count(delivered, piece.lineId) > 0)) return false;
  return pieces.every((piece) => count(delivered, piece.lineId) + count(givenBack, piece.lineId) >= piece.quantity);
}
