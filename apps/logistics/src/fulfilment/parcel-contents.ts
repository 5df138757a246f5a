/** Units of one order line: in a sub-order, or in a parcel. */
export interface LineUnits {
  lineId: string;
  quantity: number;
}

/**
 * What is wrong with parcels made from a sub-order's lines, if anything: a line the sub-order
 * does not have, a line twice in one parcel, or more units of a line than the sub-order holds
 * once the parcels already made are counted. With `everyUnit`, each unit must also be in a
 * parcel (packing puts the whole sub-order in boxes); without it, some may come later (a
 * merchant reporting a first shipment).
 */
export function parcelContentProblems(
  subOrderLines: readonly LineUnits[],
  existingParcels: readonly (readonly LineUnits[])[],
  newParcels: readonly (readonly LineUnits[])[],
  { everyUnit }: { everyUnit: boolean },
): string[] {
  const ordered = new Map(subOrderLines.map((line) => [line.lineId, line.quantity]));
  const boxed = new Map<string, number>();
  for (const parcel of existingParcels) for (const line of parcel) boxed.set(line.lineId, (boxed.get(line.lineId) ?? 0) + line.quantity);
  const problems: string[] = [];
  newParcels.forEach((parcel, index) => {
    const seen = new Set<string>();
    for (const line of parcel) {
      if (!ordered.has(line.lineId)) problems.push(`parcels.${index}: line ${line.lineId} is not in this sub-order`);
      else if (seen.has(line.lineId)) problems.push(`parcels.${index}: line ${line.lineId} is listed twice`);
      seen.add(line.lineId);
      boxed.set(line.lineId, (boxed.get(line.lineId) ?? 0) + line.quantity);
    }
  });
  for (const [lineId, quantity] of ordered) {
    const inParcels = boxed.get(lineId) ?? 0;
    if (inParcels > quantity) problems.push(`line ${lineId}: ${inParcels} units in parcels, but the sub-order has ${quantity}`);
    else if (everyUnit && inParcels < quantity)
      problems.push(`line ${lineId}: ${quantity - inParcels} of ${quantity} units are in no parcel`);
  }
  return problems;
}

/**
 * How much of a sub-order is with carriers: NONE, SOME (PARTIALLY_SHIPPED) or ALL (SHIPPED),
 * counting the units of the parcels handed over.
 */
export function shipmentCoverage(
  subOrderLines: readonly LineUnits[],
  handedOver: readonly (readonly LineUnits[])[],
): 'NONE' | 'SOME' | 'ALL' {
  const shipped = new Map<string, number>();
  for (const parcel of handedOver) for (const line of parcel) shipped.set(line.lineId, (shipped.get(line.lineId) ?? 0) + line.quantity);
  const units = subOrderLines.reduce((sum, line) => sum + line.quantity, 0);
  const covered = subOrderLines.reduce((sum, line) => sum + Math.min(line.quantity, shipped.get(line.lineId) ?? 0), 0);
  if (covered === 0) return 'NONE';
  return covered >= units ? 'ALL' : 'SOME';
}

/** A unit count by SKU, as the platform and our warehouse system describe a parcel. */
export interface SkuUnits {
  skuId: string;
  quantity: number;
}

/**
 * A parcel described by SKU, as lines of the sub-order: each SKU's units go to its lines in line
 * order, filling what earlier parcels left. Returns the lines, or what is wrong (a SKU the
 * sub-order does not have, more units than are left).
 */
export function linesForSkus(
  subOrderLines: readonly (LineUnits & { skuId: string })[],
  existingParcels: readonly (readonly LineUnits[])[],
  parcel: readonly SkuUnits[],
): { lines: LineUnits[] } | { problems: string[] } {
  const left = new Map(subOrderLines.map((line) => [line.lineId, line.quantity]));
  for (const existing of existingParcels) for (const line of existing) left.set(line.lineId, (left.get(line.lineId) ?? 0) - line.quantity);
  const lines = new Map<string, number>();
  const problems: string[] = [];
  for (const { skuId, quantity } of parcel) {
    const candidates = subOrderLines.filter((line) => line.skuId === skuId).sort((a, b) => (a.lineId < b.lineId ? -1 : 1));
    if (candidates.length === 0) {
      problems.push(`SKU ${skuId} is not in this sub-order`);
      continue;
    }
    let wanted = quantity;
    for (const line of candidates) {
      const take = Math.min(wanted, Math.max(0, left.get(line.lineId) ?? 0));
      if (take === 0) continue;
      left.set(line.lineId, left.get(line.lineId)! - take);
      lines.set(line.lineId, (lines.get(line.lineId) ?? 0) + take);
      wanted -= take;
    }
    if (wanted > 0) problems.push(`SKU ${skuId}: ${wanted} more units than the sub-order has left to ship`);
  }
  if (problems.length > 0) return { problems };
  return { lines: [...lines].map(([lineId, quantity]) => ({ lineId, quantity })) };
}
