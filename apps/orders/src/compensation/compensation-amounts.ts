import { splitEvenly } from '@mallard/money';
import type { SubOrderLine } from '../order/sub-order.entity.js';

/** Units of one line given back by one compensation, and what they paid for the goods. */
export interface CompensatedLine {
  lineId: string;
  skuId: string;
  quantity: number;
  amount: number;
  /** An after-sales refund's own line (clawback, release, shipping), which its credit note repeats. */
  refund?: { clawbackMinor: number; releasedMinor: number; shippingMinor: number; refundedMinor: number };
}

/** What an earlier compensation of the same sub-order gave back. */
export interface EarlierCompensation {
  /**
   * PARCEL_RETURNED rows restock units someone already refunded: they refund nothing themselves.
   * AFTER_SALES_REFUND rows are after-sales' refunds: orders paid nothing for them, but their units
   * and fee are given back all the same.
   */
  kind?: string;
  lines: readonly CompensatedLine[];
  shippingFeeRefunded: number;
}

/**
 * The compensations that gave money back, whoever paid it (orders or after-sales): a returned
 * parcel's restock must not count its units a second time.
 */
const refunding = (earlier: readonly EarlierCompensation[]): EarlierCompensation[] =>
  earlier.filter((compensation) => compensation.kind !== 'PARCEL_RETURNED');

/** The compensations with which orders put units back on the shelf (after-sales' returns restock through inventory themselves). */
const restocking = (earlier: readonly EarlierCompensation[]): EarlierCompensation[] =>
  earlier.filter((compensation) => compensation.kind === 'SUB_ORDER_STOPPED' || compensation.kind === 'PARCEL_RETURNED');

export interface CompensationAmounts {
  lines: CompensatedLine[];
  /** The sub-order's shipping fee, or what is left of it, when this compensation gives it back. */
  shippingFee: number;
  /** Goods and fee: what the shopper gets back. */
  total: number;
}

/**
 * What giving back `quantity` units of a piece is worth, after `alreadyGiven` of its units: its
 * merchandise spread over its units to the cent (leftover cents on the first units), so that the
 * parcels of one piece, refunded one by one, add up to exactly what the piece paid for its goods.
 */
function unitsWorth(piece: SubOrderLine, alreadyGiven: number, quantity: number): number {
  const perUnit = splitEvenly(merchandiseOf(piece), piece.quantity);
  return perUnit.slice(alreadyGiven, alreadyGiven + quantity).reduce((sum, amount) => sum + amount, 0);
}

/** Pieces split before line shares followed sub-orders kept only a paid amount, their merchandise then. */
const merchandiseOf = (piece: SubOrderLine): number => piece.merchandise ?? piece.paidAmount;

const unitsOf = (compensations: readonly EarlierCompensation[], lineId: string): number =>
  compensations.flatMap((compensation) => compensation.lines).reduce((sum, line) => sum + (line.lineId === lineId ? line.quantity : 0), 0);

const givenUnits = (earlier: readonly EarlierCompensation[], lineId: string): number => unitsOf(refunding(earlier), lineId);

function givenFee(earlier: readonly EarlierCompensation[]): number {
  return refunding(earlier).reduce((sum, compensation) => sum + compensation.shippingFeeRefunded, 0);
}

function pieceOf(pieces: readonly SubOrderLine[], lineId: string): SubOrderLine {
  const piece = pieces.find((candidate) => candidate.lineId === lineId);
  if (!piece) throw new RangeError(`line ${lineId} is not in this sub-order`);
  return piece;
}

function amountsOf(
  pieces: readonly SubOrderLine[],
  earlier: readonly EarlierCompensation[],
  wanted: readonly { lineId: string; quantity: number }[],
  shippingFee: number,
): CompensationAmounts {
  const lines: CompensatedLine[] = [];
  for (const want of wanted) {
    const piece = pieceOf(pieces, want.lineId);
    const given = givenUnits(earlier, piece.lineId);
    const quantity = Math.min(want.quantity, piece.quantity - given);
    if (quantity > 0) lines.push({ lineId: piece.lineId, skuId: piece.skuId, quantity, amount: unitsWorth(piece, given, quantity) });
  }
  return { lines, shippingFee, total: lines.reduce((sum, line) => sum + line.amount, shippingFee) };
}

/**
 * A stopped sub-order gives back everything of it not given back yet: every remaining unit and
 * whatever is left of its shipping fee (docs/domain.md §7).
 */
export function stoppedSubOrderAmounts(
  pieces: readonly SubOrderLine[],
  subOrderShippingFee: number,
  earlier: readonly EarlierCompensation[],
): CompensationAmounts {
  return amountsOf(
    pieces,
    earlier,
    pieces.map((piece) => ({ lineId: piece.lineId, quantity: piece.quantity })),
    Math.max(0, subOrderShippingFee - givenFee(earlier)),
  );
}

/**
 * A refused or returned parcel gives back the goods in it not given back yet and, the first time
 * one of its sub-order's parcels is given up, the shipping fee that sub-order carried (what after-sales
 * left of it): the shopper keeps the other parcels with free shipping (docs/domain.md §5). A
 * sub-order that carried no fee refunds none.
 */
export function parcelAmounts(
  pieces: readonly SubOrderLine[],
  subOrderShippingFee: number,
  earlier: readonly EarlierCompensation[],
  parcelLines: readonly { lineId: string; quantity: number }[],
): CompensationAmounts {
  return amountsOf(pieces, earlier, parcelLines, Math.max(0, subOrderShippingFee - givenFee(earlier)));
}

/**
 * The units a parcel back with us puts on the shelf: all of its units, whoever refunded them (its
 * refusal, or after-sales for a refund only, which restocks nothing), except that no piece is
 * restocked beyond its quantity by orders (a stopped sub-order restocked what it refunded).
 * Amounts are 0: the return moves no money.
 */
export function returnedParcelUnits(
  pieces: readonly SubOrderLine[],
  earlier: readonly EarlierCompensation[],
  parcelLines: readonly { lineId: string; quantity: number }[],
): CompensatedLine[] {
  const lines: CompensatedLine[] = [];
  for (const want of parcelLines) {
    const piece = pieceOf(pieces, want.lineId);
    const quantity = Math.min(want.quantity, piece.quantity - unitsOf(restocking(earlier), piece.lineId));
    if (quantity > 0) lines.push({ lineId: piece.lineId, skuId: piece.skuId, quantity, amount: 0 });
  }
  return lines;
}

/**
 * What one after-sales refund gave back, per sub-order it touches: the units with what they paid for
 * their goods, the sub-order's fee refunded with them, and the whole of what was refunded for them.
 */
export function afterSalesGivenBack(
  refundLines: readonly {
    subOrderId: string;
    lineId: string;
    skuId: string;
    quantity: number;
    paidMinor: number;
    clawbackMinor: number;
    releasedMinor: number;
    shippingMinor: number;
    refundedMinor: number;
  }[],
): Map<string, { lines: CompensatedLine[]; shippingFee: number; refunded: number }> {
  const bySubOrder = new Map<string, { lines: CompensatedLine[]; shippingFee: number; refunded: number }>();
  for (const line of [...refundLines].sort((a, b) => a.subOrderId.localeCompare(b.subOrderId))) {
    const given = bySubOrder.get(line.subOrderId) ?? { lines: [], shippingFee: 0, refunded: 0 };
    given.lines.push({
      lineId: line.lineId,
      skuId: line.skuId,
      quantity: line.quantity,
      amount: line.paidMinor,
      refund: {
        clawbackMinor: line.clawbackMinor,
        releasedMinor: line.releasedMinor,
        shippingMinor: line.shippingMinor,
        refundedMinor: line.refundedMinor,
      },
    });
    given.shippingFee += line.shippingMinor;
    given.refunded += line.refundedMinor;
    bySubOrder.set(line.subOrderId, given);
  }
  return bySubOrder;
}

/**
 * Units and fee given back more than the sub-order had: orders and after-sales refunded the same
 * units at once, each before it heard of the other. Nothing can take that money back here; staff must.
 */
export function givenBeyondPaid(
  pieces: readonly SubOrderLine[],
  subOrderShippingFee: number,
  earlier: readonly EarlierCompensation[],
): { lines: { lineId: string; quantity: number }[]; shippingFee: number } {
  const lineIds = [...new Set(refunding(earlier).flatMap((compensation) => compensation.lines.map((line) => line.lineId)))];
  return {
    lines: lineIds
      .map((lineId) => ({
        lineId,
        quantity: givenUnits(earlier, lineId) - (pieces.find((piece) => piece.lineId === lineId)?.quantity ?? 0),
      }))
      .filter((line) => line.quantity > 0),
    shippingFee: Math.max(0, givenFee(earlier) - subOrderShippingFee),
  };
}
