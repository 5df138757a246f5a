import { apportion, splitEvenly } from '@mallard/money';
import { priceOrder } from '@mallard/pricing';
import {
  type EarlierRefund,
  type EarlierTally,
  type GivenBack,
  indexOrder,
  NOTHING_BACK,
  type OrderBook,
  type Piece,
  type PurchasedOrder,
  pieceKey,
  type RefundRequest,
  readRequest,
  type SubOrderAmount,
  tallyEarlier,
} from './refund-inputs.js';

export type {
  EarlierRefund,
  PieceUnits,
  PurchasedLine,
  PurchasedOrder,
  PurchasedSubOrder,
  RefundRequest,
  SubOrderAmount,
  SubOrderPiece,
} from './refund-inputs.js';

/**
 * The refund of one after-sales request, re-amortised. These rules are the product's refund spec
 * (docs/domain.md §2, §8); every amount is an integer in minor units.
 *
 * 1. Units. A request names units of a piece: one line's part in one sub-order, since goods come
 *    back from the sub-order that delivered them. A piece's units come back in order, and its
 *    merchandise is spread over its units as orders spreads it (splitEvenly: leftover cents on the
 *    first units), so a piece given back bit by bit, by after-sales or by orders' compensations,
 *    adds up to exactly what it paid.
 *
 * 2. Paid: what the units paid for their goods: their price less their item discount and their
 *    share of the order discounts. Those discounts were never paid, so they are neither refunded
 *    nor clawed back again. The units that complete a piece take whatever the piece paid that no
 *    refund has given back yet, so rounding never strands a cent.
 *
 * 3. Clawback. What the shopper keeps once this request is refunded (every unit no refund of any
 *    kind has given back) is priced again with the pricing engine: each kept unit at its price
 *    after item discount (an item promotion depends on the unit alone, so it stays as paid), the
 *    order promotions and the coupon of the purchase applied to the kept goods alone. The lost
 *    benefit is what that costs beyond what the kept goods paid; never below zero (keeping less
 *    earns no better discount), and whatever the reason for the request.
 *    After-sales refunds withhold the lost benefit: this request withholds as much as the lost
 *    benefit exceeds what earlier after-sales refunds withhold, but never more than the goods it
 *    refunds; when the lost benefit has shrunk below what is withheld (more came back), the
 *    difference is released: refunded with this request. So what is withheld never exceeds the
 *    lost benefit, and once nothing is kept nothing is withheld.
 *    Free shipping the kept goods would no longer reach is not clawed back: only promotions and the
 *    coupon are.
 *
 * 4. Shipping. What is left of a sub-order's fee is refunded when this request brings back the
 *    last of that sub-order's units, or when with it the whole order has come back or been
 *    refunded. Otherwise the fee is kept, except that when the seller is at fault the returned
 *    units' share of their sub-order's fee (spread over the units as in 1) is refunded.
 *
 * 5. Per line of the request: refunded = paid − clawback + released + shipping. The clawback and
 *    the released amount are apportioned over the request's lines by paid (largest remainder,
 *    @mallard/money), so no line's clawback exceeds its paid; a sub-order's refunded fee over the
 *    request's lines of that sub-order by their units' shipping share, or over all of them by the
 *    same weights when the whole order came back with a sub-order none of them belongs to. The
 *    totals are the sums of the lines.
 *
 * 6. Input that contradicts itself, or a request for units already given back, is refused with a
 *    RefundError.
 *
 * Hence, proven in refund-calculation.property.spec.ts over random orders, promotions and histories:
 * - over any sequence of requests, among any other refunds, what was refunded never exceeds what
 *   the order paid;
 * - once a request brings back the last units, exactly what the order paid, shipping included, has
 *   been refunded (nothing stays withheld);
 * - a clawback is never negative, and never more than the paid amount of the line it reduces;
 * - every figure is an integer in minor units.
 */
export function calculateRefund(order: PurchasedOrder, earlier: readonly EarlierRefund[], request: RefundRequest): RefundCalculation {
  const book = indexOrder(order);
  const before = tallyEarlier(book, earlier);
  const asked = readRequest(book, before, request);

  const returning = asked.map(({ piece, quantity }): Returning => {
    const back = before.pieces.get(piece.key) ?? NOTHING_BACK;
    const completes = back.units + quantity === piece.quantity;
    const spread = unitsWorth(piece.merchandiseMinor, piece.quantity, back.units, quantity);
    const left = piece.merchandiseMinor - back.paidMinor;
    return {
      piece,
      quantity,
      paid: completes ? left : Math.min(spread, left),
      shippingShare: unitsWorth(piece.shippingFeeShareMinor, piece.quantity, back.units, quantity),
    };
  });

  const after = new Map(before.pieces);
  for (const { piece, quantity, paid } of returning) {
    const back = after.get(piece.key) ?? NOTHING_BACK;
    after.set(piece.key, { units: back.units + quantity, paidMinor: back.paidMinor + paid });
  }

  const kept = keptGoods(order, book, after);
  const lostBenefit = Math.max(0, kept.repricedMinor - kept.paidMinor);
  const paidTotal = sum(returning.map((line) => line.paid));
  const clawback = lostBenefit > before.withheldMinor ? Math.min(lostBenefit - before.withheldMinor, paidTotal) : 0;
  const released = before.withheldMinor > lostBenefit ? before.withheldMinor - lostBenefit : 0;

  const { shipping, shippingFees } = refundedShipping(order, book, before, after, returning, request.sellerAtFault);
  const paidWeights = returning.map((line) => line.paid);
  const clawbacks = apportion(clawback, paidWeights);
  const releases = apportion(released, paidWeights);
  const lines: RefundLine[] = returning.map(({ piece, quantity, paid }, index) => ({
    subOrderId: piece.subOrderId,
    lineId: piece.lineId,
    skuId: piece.skuId,
    quantity,
    paidMinor: paid,
    clawbackMinor: clawbacks[index],
    releasedMinor: releases[index],
    shippingMinor: shipping[index],
    refundedMinor: paid - clawbacks[index] + releases[index] + shipping[index],
  }));

  return {
    currency: order.currency,
    lines,
    paidMinor: paidTotal,
    clawbackMinor: clawback,
    releasedMinor: released,
    shippingMinor: sum(shipping),
    refundedMinor: sum(lines.map((line) => line.refundedMinor)),
    shippingFees,
    kept: { ...kept, lostBenefitMinor: lostBenefit, withheldMinor: before.withheldMinor + clawback - released },
  };
}

/** A calculated refund as the record later calculations take, once it has been made. */
export function asEarlierRefund(refund: RefundCalculation): EarlierRefund {
  return {
    lines: refund.lines.map(({ subOrderId, lineId, quantity, paidMinor }) => ({ subOrderId, lineId, quantity, paidMinor })),
    shippingFees: refund.shippingFees.map((fee) => ({ ...fee })),
    clawbackMinor: refund.clawbackMinor,
    releasedMinor: refund.releasedMinor,
  };
}

/** One line of the refund, as the shopper is shown it. */
export interface RefundLine {
  subOrderId: string;
  lineId: string;
  skuId: string;
  quantity: number;
  /** What these units paid for their goods. */
  paidMinor: number;
  /** Benefit the kept goods lost, taken out of this line's refund. */
  clawbackMinor: number;
  /** Benefit withheld by earlier refunds that the kept goods no longer enjoy, given back. */
  releasedMinor: number;
  /** The part of the shipping fee refunded with this line. */
  shippingMinor: number;
  /** paid − clawback + released + shipping. */
  refundedMinor: number;
}

export interface RefundCalculation {
  currency: string;
  lines: RefundLine[];
  paidMinor: number;
  clawbackMinor: number;
  releasedMinor: number;
  shippingMinor: number;
  /** What the shopper gets back: the sum of the lines' refunded amounts. */
  refundedMinor: number;
  /** The shipping fee refunded, per sub-order (sub-orders refunding none left out). */
  shippingFees: SubOrderAmount[];
  /** What the shopper keeps once this refund is made. */
  kept: KeptGoods;
}

export interface KeptGoods {
  /** What the kept goods paid at purchase. */
  paidMinor: number;
  /** What they cost priced alone, with the order's promotions and coupon (0 when nothing is kept). */
  repricedMinor: number;
  /** repriced − paid, or 0 when that is negative. */
  lostBenefitMinor: number;
  /** Withheld by after-sales refunds, this one included: never more than the lost benefit. */
  withheldMinor: number;
}

/** Units of a piece this request gives back: what they paid for their goods, and their share of the fee. */
interface Returning {
  piece: Piece;
  quantity: number;
  paid: number;
  shippingShare: number;
}

/** Units [from, from + count) of `amount` spread over `units` as orders spreads it. */
function unitsWorth(amount: number, units: number, from: number, count: number): number {
  return sum(splitEvenly(amount, units).slice(from, from + count));
}

/**
 * What the goods kept after the refund paid, and what they would cost priced alone. A piece with no
 * unit left counts for nothing even if a refund gave back less than it paid: nothing of it is kept.
 */
function keptGoods(
  order: PurchasedOrder,
  book: OrderBook,
  after: Map<string, GivenBack>,
): Omit<KeptGoods, 'lostBenefitMinor' | 'withheldMinor'> {
  const keptUnits = new Map<string, number>();
  let paid = 0;
  for (const piece of book.pieces.values()) {
    const back = after.get(piece.key) ?? NOTHING_BACK;
    if (back.units === piece.quantity) continue;
    keptUnits.set(piece.lineId, (keptUnits.get(piece.lineId) ?? 0) + piece.quantity - back.units);
    paid += piece.merchandiseMinor - back.paidMinor;
  }
  if (keptUnits.size === 0) return { paidMinor: 0, repricedMinor: 0 };
  // Each line's kept units enter as one cart line priced at their amount after item discount: the
  // order promotions and the coupon qualify against, and are shared by, exactly those amounts.
  const lines = order.lines
    .filter((line) => keptUnits.has(line.lineId))
    .map((line) => {
      const kept = keptUnits.get(line.lineId) ?? 0;
      const afterItem = line.unitPriceMinor * line.quantity - line.itemDiscountMinor;
      return {
        lineId: line.lineId,
        skuId: line.skuId,
        unitPriceMinor: unitsWorth(afterItem, line.quantity, line.quantity - kept, kept),
        quantity: 1,
      };
    });
  const repriced = priceOrder({
    currency: order.currency,
    lines,
    itemPromotions: [],
    orderPromotions: order.orderPromotions,
    ...(order.coupon === undefined ? {} : { coupon: order.coupon }),
    shipping: order.shipping,
  });
  return { paidMinor: paid, repricedMinor: repriced.payableMinor - repriced.shippingFeeMinor };
}

/** Rule 4, and how rule 5 spreads each sub-order's refunded fee over the request's lines. */
function refundedShipping(
  order: PurchasedOrder,
  book: OrderBook,
  before: EarlierTally,
  after: ReadonlyMap<string, GivenBack>,
  returning: readonly Returning[],
  sellerAtFault: boolean,
): { shipping: number[]; shippingFees: SubOrderAmount[] } {
  const allBack = (pieces: Iterable<{ key: string; quantity: number }>) => [...pieces].every((p) => after.get(p.key)?.units === p.quantity);
  const wholeOrderBack = allBack(book.pieces.values());
  const weights = returning.map((line) => line.shippingShare);
  const shipping = returning.map(() => 0);
  const shippingFees: SubOrderAmount[] = [];
  for (const subOrder of order.subOrders) {
    const left = subOrder.shippingFeeMinor - (before.feesGiven.get(subOrder.subOrderId) ?? 0);
    const mine = returning.flatMap((line, index) => (line.piece.subOrderId === subOrder.subOrderId ? [index] : []));
    const subOrderBack = allBack(
      subOrder.pieces.map((piece) => ({ key: pieceKey(subOrder.subOrderId, piece.lineId), quantity: piece.quantity })),
    );
    let fee = 0;
    if (wholeOrderBack || (mine.length > 0 && subOrderBack)) fee = left;
    else if (sellerAtFault) fee = Math.min(left, sum(mine.map((index) => weights[index])));
    if (fee === 0) continue;
    shippingFees.push({ subOrderId: subOrder.subOrderId, amountMinor: fee });
    const targets = mine.length > 0 ? mine : returning.map((_, index) => index);
    const shares = apportion(
      fee,
      targets.map((index) => weights[index]),
    );
    targets.forEach((index, i) => {
      shipping[index] += shares[i];
    });
  }
  return { shipping, shippingFees };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
