import { splitEvenly } from '@mallard/money';
import type { SubOrderLine } from '../order/sub-order.entity.js';

/** Units of one line given back by one compensation, and what they paid for the goods. */
export interface CompensatedLine {
  lineId: string;
  skuId: string;
  quantity: number;
  amount: number;
}

/** What an earlier compensation of the same sub-order gave back. */
export interface EarlierCompensation {
  /** PARCEL_RETURNED rows restock the units their parcel's refusal already refunded: they refund nothing themselves. */
  kind?: string;
  lines: readonly CompensatedLine[];
  shippingFeeRefunded: number;
}

/** The compensations that gave money back: a returned parcel's restock must not count its units a second time. */
const refunding = (earlier: readonly EarlierCompensation[]): EarlierCompensation[] =>
  earlier.filter((compensation) => compensation.kind !== 'PARCEL_RETURNED');

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

function givenUnits(earlier: readonly EarlierCompensation[], lineId: string): number {
  return refunding(earlier)
    .flatMap((compensation) => compensation.lines)
    .reduce((sum, line) => sum + (line.lineId === lineId ? line.quantity : 0), 0);
}

function givenFee(earlier: readonly EarlierCompensation[]): number {
  return refunding(earlier).reduce((sum, compensation) => sum + compensation.shippingFeeRefunded, 0);
}

function amountsOf(
  pieces: readonly SubOrderLine[],
  earlier: readonly EarlierCompensation[],
  wanted: readonly { lineId: string; quantity: number }[],
  shippingFee: number,
): CompensationAmounts {
  const lines: CompensatedLine[] = [];
  for (const want of wanted) {
    const piece = pieces.find((candidate) => candidate.lineId === want.lineId);
    if (!piece) throw new RangeError(`line ${want.lineId} is not in this sub-order`);
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
 * A refused or returned parcel gives back the goods in it and, the first time one of its
 * sub-order's parcels is given up, the shipping fee that sub-order carried: the shopper keeps the
 * other parcels with free shipping (docs/domain.md §5). A sub-order that carried no fee refunds none.
 */
export function parcelAmounts(
  pieces: readonly SubOrderLine[],
  subOrderShippingFee: number,
  earlier: readonly EarlierCompensation[],
  parcelLines: readonly { lineId: string; quantity: number }[],
): CompensationAmounts {
  return amountsOf(pieces, earlier, parcelLines, givenFee(earlier) > 0 ? 0 : subOrderShippingFee);
}
