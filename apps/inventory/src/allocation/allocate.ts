/**
 * Warehouse allocation: which warehouse serves how much of each order line. Pure: no Nest, no
 * TypeORM; the callers lock the stock rows, read what is available and apply the plan.
 *
 * Rules, in priority order:
 * 1. Never allocate more of a SKU in a warehouse than is available there; if the order's total
 *    demand for a SKU exceeds its total availability, nothing is allocated and every such SKU
 *    is reported as a shortage (all-or-nothing).
 * 2. If one warehouse can serve the whole order, it does (one parcel).
 * 3. Otherwise as few warehouses as possible (greedy set cover: repeatedly the warehouse that
 *    can serve the most remaining lines whole, then the most units).
 * 4. A line is split across warehouses only when no warehouse can serve it whole any more.
 * Ties go to the preferred warehouses (e.g. where the order already holds stock), then to the
 * smallest warehouse id, so the same input always gives the same plan.
 */

export interface AllocationLine {
  lineId: string;
  skuId: string;
  quantity: number;
}

export interface WarehouseStock {
  skuId: string;
  warehouseId: string;
  available: number;
}

export interface Allocation {
  lineId: string;
  skuId: string;
  warehouseId: string;
  quantity: number;
}

export interface Shortage {
  skuId: string;
  requested: number;
  available: number;
}

export type AllocationResult = { ok: true; allocations: Allocation[] } | { ok: false; shortages: Shortage[] };

export interface AllocateOptions {
  /** Warehouses that win ties, in this order (before the others, which go by id). */
  preferredWarehouseIds?: readonly string[];
}

type Capacity = Map<string, Map<string, number>>; // skuId -> warehouseId -> units

export function allocate(
  lines: readonly AllocationLine[],
  stock: readonly WarehouseStock[],
  options: AllocateOptions = {},
): AllocationResult {
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new RangeError(`line ${line.lineId}: quantity must be a positive integer, got ${line.quantity}`);
    }
  }
  const lineIds = new Set(lines.map((line) => line.lineId));
  if (lineIds.size !== lines.length) throw new RangeError('line ids must be unique');
  if (lines.length === 0) return { ok: true, allocations: [] };

  const capacity = capacityOf(stock);
  const warehouses = warehouseOrder(stock, options.preferredWarehouseIds ?? []);

  // 1. All or nothing: every SKU's total demand must fit its total availability.
  const demand = demandOf(lines);
  const shortages: Shortage[] = [];
  for (const [skuId, requested] of demand) {
    const available = total(capacity.get(skuId));
    if (available < requested) shortages.push({ skuId, requested, available });
  }
  if (shortages.length > 0) return { ok: false, shortages };

  // 2. One warehouse for the whole order.
  const single = firstServingAll(demand, capacity, warehouses);
  if (single !== undefined) {
    return {
      ok: true,
      allocations: lines.map((line) => ({ lineId: line.lineId, skuId: line.skuId, warehouseId: single, quantity: line.quantity })),
    };
  }

  // 3. Greedy set cover over whole lines.
  const allocations: Allocation[] = [];
  const chosen: string[] = [];
  let remaining = [...lines];
  for (;;) {
    let best: { warehouseId: string; served: AllocationLine[]; units: number } | undefined;
    for (const warehouseId of warehouses) {
      if (chosen.includes(warehouseId)) continue;
      const served = wholeLinesServedBy(remaining, capacity, warehouseId);
      if (served.length === 0) continue;
      const units = served.reduce((sum, line) => sum + line.quantity, 0);
      if (!best || served.length > best.served.length || (served.length === best.served.length && units > best.units)) {
        best = { warehouseId, served, units };
      }
    }
    if (!best) break;
    chosen.push(best.warehouseId);
    for (const line of best.served) {
      take(capacity, line.skuId, best.warehouseId, line.quantity);
      allocations.push({ lineId: line.lineId, skuId: line.skuId, warehouseId: best.warehouseId, quantity: line.quantity });
    }
    const served = new Set(best.served.map((line) => line.lineId));
    remaining = remaining.filter((line) => !served.has(line.lineId));
  }

  // 4. Lines no warehouse can serve whole: split, first over warehouses already in the plan,
  //    then over new ones, largest first so that few are added.
  for (const line of remaining) {
    let needed = line.quantity;
    const byUnitsDescending = (candidates: string[]): string[] =>
      candidates
        .map((warehouseId, rank) => ({ warehouseId, rank, units: unitsAt(capacity, line.skuId, warehouseId) }))
        .filter((candidate) => candidate.units > 0)
        .sort((a, b) => b.units - a.units || a.rank - b.rank)
        .map((candidate) => candidate.warehouseId);
    const sources = [...byUnitsDescending(chosen), ...byUnitsDescending(warehouses.filter((warehouseId) => !chosen.includes(warehouseId)))];
    for (const warehouseId of sources) {
      if (needed === 0) break;
      const quantity = Math.min(needed, unitsAt(capacity, line.skuId, warehouseId));
      take(capacity, line.skuId, warehouseId, quantity);
      allocations.push({ lineId: line.lineId, skuId: line.skuId, warehouseId, quantity });
      if (!chosen.includes(warehouseId)) chosen.push(warehouseId);
      needed -= quantity;
    }
    if (needed !== 0) throw new Error(`allocation invariant broken for line ${line.lineId}`); // unreachable after step 1
  }

  const lineRank = new Map(lines.map((line, index) => [line.lineId, index]));
  const warehouseRank = new Map(warehouses.map((warehouseId, index) => [warehouseId, index]));
  allocations.sort(
    (a, b) => lineRank.get(a.lineId)! - lineRank.get(b.lineId)! || warehouseRank.get(a.warehouseId)! - warehouseRank.get(b.warehouseId)!,
  );
  return { ok: true, allocations };
}

/**
 * Rule 2 alone, with rule 1's check: the warehouse, in the allocator's tie order (preferred, then
 * by id), that has the whole demand of every SKU, or undefined when none has. For what must leave
 * from one warehouse or not at all (an exchange's replacement); several lines of one SKU add up.
 */
export function oneWarehouseFor(
  lines: readonly { skuId: string; quantity: number }[],
  stock: readonly WarehouseStock[],
  options: AllocateOptions = {},
): string | undefined {
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new RangeError(`SKU ${line.skuId}: quantity must be a positive integer, got ${line.quantity}`);
    }
  }
  if (lines.length === 0) return undefined;
  return firstServingAll(demandOf(lines), capacityOf(stock), warehouseOrder(stock, options.preferredWarehouseIds ?? []));
}

function demandOf(lines: readonly { skuId: string; quantity: number }[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const line of lines) demand.set(line.skuId, (demand.get(line.skuId) ?? 0) + line.quantity);
  return demand;
}

function firstServingAll(demand: ReadonlyMap<string, number>, capacity: Capacity, warehouses: readonly string[]): string | undefined {
  return warehouses.find((warehouseId) => [...demand].every(([skuId, units]) => units <= unitsAt(capacity, skuId, warehouseId)));
}

/** The lines one warehouse could serve whole right now, big lines first (they are the hard ones to place). */
function wholeLinesServedBy(lines: readonly AllocationLine[], capacity: Capacity, warehouseId: string): AllocationLine[] {
  const used = new Map<string, number>();
  const served: AllocationLine[] = [];
  const biggestFirst = lines.map((line, index) => ({ line, index })).sort((a, b) => b.line.quantity - a.line.quantity || a.index - b.index);
  for (const { line } of biggestFirst) {
    const alreadyUsed = used.get(line.skuId) ?? 0;
    if (unitsAt(capacity, line.skuId, warehouseId) - alreadyUsed >= line.quantity) {
      used.set(line.skuId, alreadyUsed + line.quantity);
      served.push(line);
    }
  }
  return served;
}

function capacityOf(stock: readonly WarehouseStock[]): Capacity {
  const capacity: Capacity = new Map();
  for (const { skuId, warehouseId, available } of stock) {
    const units = Number.isFinite(available) ? Math.max(0, Math.floor(available)) : 0;
    const bySku = capacity.get(skuId) ?? new Map<string, number>();
    bySku.set(warehouseId, (bySku.get(warehouseId) ?? 0) + units);
    capacity.set(skuId, bySku);
  }
  return capacity;
}

function warehouseOrder(stock: readonly WarehouseStock[], preferred: readonly string[]): string[] {
  const all = [...new Set(stock.map((entry) => entry.warehouseId))];
  const preferredKnown = [...new Set(preferred)].filter((warehouseId) => all.includes(warehouseId));
  const others = all.filter((warehouseId) => !preferredKnown.includes(warehouseId)).sort(compareIds);
  return [...preferredKnown, ...others];
}

/** Code-point order, independent of the locale the process runs in. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unitsAt(capacity: Capacity, skuId: string, warehouseId: string): number {
  return capacity.get(skuId)?.get(warehouseId) ?? 0;
}

function take(capacity: Capacity, skuId: string, warehouseId: string, units: number): void {
  capacity.get(skuId)!.set(warehouseId, unitsAt(capacity, skuId, warehouseId) - units);
}

function total(bySku: Map<string, number> | undefined): number {
  let sum = 0;
  for (const units of bySku?.values() ?? []) sum += units;
  return sum;
}
