/**
 * What the warehouse, stock and flash-sale tabs work out without a browser. Plain functions,
 * unit-tested in console-operations.spec.ts.
 */

/** Units of each line of a sub-order not in any parcel yet: what a drop-ship merchant has still to report. */
export function unitsNotInParcels(subOrder) {
  const inParcels = new Map();
  for (const parcel of subOrder.parcels) {
    for (const line of parcel.lines) inParcels.set(line.lineId, (inParcels.get(line.lineId) ?? 0) + line.quantity);
  }
  return subOrder.lines
    .map((line) => ({ lineId: line.lineId, quantity: line.quantity - (inParcels.get(line.lineId) ?? 0) }))
    .filter((line) => line.quantity > 0);
}

/** The parcels of a sub-order packed by our warehouse and not handed to a carrier yet. */
export function parcelsToHandOver(subOrder) {
  return subOrder.fulfilmentType === 'SELF_OPERATED' ? subOrder.parcels.filter((parcel) => parcel.handedOverAt === null) : [];
}

/** A ledger delta as a stock clerk reads it: "+50", "−2" (a minus sign, not a hyphen), "0". */
export function signedUnits(delta) {
  if (!Number.isSafeInteger(delta)) return '—';
  if (delta > 0) return `+${delta}`;
  return delta < 0 ? `\u2212${-delta}` : '0';
}

/** The query string of a filter form: the fields given, trimmed; none when all are empty. */
export function queryOf(fields) {
  const present = Object.entries(fields)
    .map(([name, value]) => [name, String(value ?? '').trim()])
    .filter(([, value]) => value !== '');
  return present.length === 0 ? '' : `?${new URLSearchParams(present)}`;
}
