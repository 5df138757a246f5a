/**
 * What inventory knows about one order's stock, and what each order event does to it. Pure: no
 * Nest, no TypeORM. The handlers lock the order's record and its stock levels, ask these
 * functions for a decision and a plan, and apply the plan.
 *
 *   NEW ──placed──▶ HELD ─────paid──▶ DEDUCTED | DEDUCTION_FAILED
 *    │               ├──cancelled──▶ CANCELLED (holds released, stock.released ORDER_CANCELLED)
 *    │               └──expiry────▶ EXPIRED   (holds released, stock.released HOLD_EXPIRED)
 *    ├──placed (no reserve lines)──▶ NOTHING_HELD
 *    ├──placed (short)────────────▶ RESERVATION_FAILED
 *    ├──cancelled (before placed)─▶ CANCELLED: a placed event arriving later holds nothing
 *    └──paid (before placed)──────▶ DEDUCTED | DEDUCTION_FAILED, taking stock as deduct-on-payment
 *
 * Paid on an order without holds (nothing held, expired, cancelled, failed) takes every paid
 * line from available stock, like deduct-on-payment; if that cannot be done nothing is
 * deducted. DEDUCTED and DEDUCTION_FAILED are final: a repeated order event changes nothing.
 * These moves, and only these, are the ORDER_STOCK machine (order-stock-machine.ts) every write
 * of the state is checked against.
 */
import type { StockFailureReason } from '@mallard/contracts';
import { type Allocation, type AllocationLine, allocate, compareIds } from '../allocation/allocate.js';

export const ORDER_STOCK_STATES = [
  'NEW',
  'HELD',
  'NOTHING_HELD',
  'RESERVATION_FAILED',
  'CANCELLED',
  'EXPIRED',
  'DEDUCTED',
  'DEDUCTION_FAILED',
] as const;
export type OrderStockState = (typeof ORDER_STOCK_STATES)[number];

const FINAL_AFTER_PAYMENT: readonly OrderStockState[] = ['DEDUCTED', 'DEDUCTION_FAILED'];

/** order.placed: hold only an order seen for the first time (not cancelled or paid before). */
export function onPlaced(state: OrderStockState): 'reserve' | 'ignore' {
  return state === 'NEW' ? 'reserve' : 'ignore';
}

/**
 * order.cancelled: release holds once; remember the cancel of an order with nothing held (so a
 * late order.placed holds nothing); after payment a cancel is an interception, not ours here.
 */
export function onCancelled(state: OrderStockState): 'release' | 'close' | 'ignore' {
  if (state === 'HELD') return 'release';
  if (state === 'CANCELLED' || FINAL_AFTER_PAYMENT.includes(state)) return 'ignore';
  return 'close';
}

/** order.paid: deduct once. */
export function onPaid(state: OrderStockState): 'deduct' | 'ignore' {
  return FINAL_AFTER_PAYMENT.includes(state) ? 'ignore' : 'deduct';
}

/** The hold-expiry worker: only live holds expire. */
export function onHoldExpired(state: OrderStockState): 'release' | 'ignore' {
  return state === 'HELD' ? 'release' : 'ignore';
}

export interface SkuState {
  onShelf: boolean;
}

/**
 * How long an order's holds last: the standard TTL, or the scarce TTL when any SKU it holds is
 * marked scarce (a flash-sale item must not sit in an unpaid cart for a day). One order's holds
 * lapse together, so the shortest applies to all of them.
 */
export function holdTtlSeconds(heldSkus: readonly { scarce: boolean }[], ttl: { standardSeconds: number; scarceSeconds: number }): number {
  return heldSkus.some((sku) => sku.scarce) ? Math.min(ttl.scarceSeconds, ttl.standardSeconds) : ttl.standardSeconds;
}

export interface LevelState {
  skuId: string;
  warehouseId: string;
  onHand: number;
  held: number;
}

export interface HeldUnits {
  lineId: string;
  skuId: string;
  warehouseId: string;
  quantity: number;
}

export interface StockShortage {
  skuId: string;
  reason: StockFailureReason;
  requested: number;
  available: number;
}

export type ReservationPlan = { ok: true; allocations: Allocation[] } | { ok: false; shortages: StockShortage[] };

/**
 * Where to hold the reserve-on-order lines of a placed order: all of them or none. Unknown
 * SKUs, SKUs off the shelf and SKUs without enough stock are all reported, once per SKU.
 */
export function planReservation(
  lines: readonly AllocationLine[],
  skus: ReadonlyMap<string, SkuState>,
  levels: readonly LevelState[],
): ReservationPlan {
  const problems = new Map<string, StockFailureReason>();
  for (const line of lines) {
    const sku = skus.get(line.skuId);
    if (!sku) problems.set(line.skuId, 'UNKNOWN_SKU');
    else if (!sku.onShelf) problems.set(line.skuId, 'OFF_SHELF');
  }
  const servable = lines.filter((line) => !problems.has(line.skuId));
  const result = allocate(servable, availability(levels));
  const shortages = [...shortagesFor(lines, problems, levels), ...(result.ok ? [] : insufficient(result.shortages))];
  if (shortages.length > 0) return { ok: false, shortages: inLineOrder(shortages, lines) };
  return result as { ok: true; allocations: Allocation[] };
}

export type PaymentPlan =
  | {
      ok: true;
      /** Holds that become deductions as they are. */
      consume: HeldUnits[];
      /** Holds that no paid line uses as held (a line paid with another quantity, or not paid). */
      release: HeldUnits[];
      /** Units taken from available stock: deduct-on-payment lines and lines that lost their hold. */
      take: Allocation[];
      /** The final warehouse(s) of every paid line. */
      allocations: Allocation[];
    }
  | { ok: false; shortages: StockShortage[]; release: HeldUnits[] };

/**
 * What a payment does to an order's stock. Lines held exactly as paid consume their holds; every
 * other paid line is taken from available stock (the holds of the order being released first),
 * preferring the warehouses the order already ships from. If any line cannot be served, nothing
 * is deducted and every hold is released.
 */
export function planPayment(
  lines: readonly AllocationLine[],
  holds: readonly HeldUnits[],
  skus: ReadonlyMap<string, SkuState>,
  levels: readonly LevelState[],
): PaymentPlan {
  const holdsByLine = new Map<string, HeldUnits[]>();
  for (const hold of holds) holdsByLine.set(hold.lineId, [...(holdsByLine.get(hold.lineId) ?? []), hold]);

  const consume: HeldUnits[] = [];
  const release: HeldUnits[] = [];
  const toTake: AllocationLine[] = [];
  const paidLineIds = new Set(lines.map((line) => line.lineId));
  for (const line of lines) {
    const held = holdsByLine.get(line.lineId) ?? [];
    const heldAsPaid = held.length > 0 && held.every((hold) => hold.skuId === line.skuId) && sum(held) === line.quantity;
    if (heldAsPaid) consume.push(...held);
    else {
      release.push(...held);
      toTake.push(line);
    }
  }
  for (const hold of holds) if (!paidLineIds.has(hold.lineId)) release.push(hold);

  const problems = new Map<string, StockFailureReason>();
  for (const line of toTake) if (!skus.has(line.skuId)) problems.set(line.skuId, 'UNKNOWN_SKU');
  const freed = release.map((hold) => ({ skuId: hold.skuId, warehouseId: hold.warehouseId, available: hold.quantity }));
  const stock = [...availability(levels), ...freed];
  const shippingFrom = [...new Set(consume.map((hold) => hold.warehouseId))].sort(compareIds);
  const result = allocate(
    toTake.filter((line) => !problems.has(line.skuId)),
    stock,
    { preferredWarehouseIds: shippingFrom },
  );
  const shortages = [...shortagesFor(toTake, problems, levels), ...(result.ok ? [] : insufficient(result.shortages))];
  if (shortages.length > 0 || !result.ok) return { ok: false, shortages: inLineOrder(shortages, lines), release: [...holds] };

  const lineRank = new Map(lines.map((line, index) => [line.lineId, index]));
  const allocations = [
    ...consume.map(({ lineId, skuId, warehouseId, quantity }) => ({ lineId, skuId, warehouseId, quantity })),
    ...result.allocations,
  ].sort((a, b) => lineRank.get(a.lineId)! - lineRank.get(b.lineId)! || compareIds(a.warehouseId, b.warehouseId));
  return { ok: true, consume, release, take: result.allocations, allocations };
}

function availability(levels: readonly LevelState[]) {
  return levels.map((level) => ({ skuId: level.skuId, warehouseId: level.warehouseId, available: Math.max(0, level.onHand - level.held) }));
}

function totalAvailable(levels: readonly LevelState[], skuId: string): number {
  return availability(levels)
    .filter((entry) => entry.skuId === skuId)
    .reduce((total, entry) => total + entry.available, 0);
}

function shortagesFor(
  lines: readonly AllocationLine[],
  problems: ReadonlyMap<string, StockFailureReason>,
  levels: readonly LevelState[],
): StockShortage[] {
  return [...problems].map(([skuId, reason]) => ({
    skuId,
    reason,
    requested: sum(lines.filter((line) => line.skuId === skuId)),
    available: reason === 'UNKNOWN_SKU' ? 0 : totalAvailable(levels, skuId),
  }));
}

function insufficient(shortages: readonly { skuId: string; requested: number; available: number }[]): StockShortage[] {
  return shortages.map((shortage) => ({ ...shortage, reason: 'INSUFFICIENT_STOCK' as const }));
}

function inLineOrder(shortages: StockShortage[], lines: readonly AllocationLine[]): StockShortage[] {
  const rank = new Map<string, number>();
  lines.forEach((line, index) => {
    if (!rank.has(line.skuId)) rank.set(line.skuId, index);
  });
  return shortages.sort((a, b) => (rank.get(a.skuId) ?? 0) - (rank.get(b.skuId) ?? 0));
}

function sum(items: readonly { quantity: number }[]): number {
  return items.reduce((total, item) => total + item.quantity, 0);
}
