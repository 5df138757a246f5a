import { isMinorUnits } from '@mallard/money';
import {
  type Coupon,
  type OrderPromotion,
  PricingError,
  type ShippingRule,
  validateCoupon,
  validateOrderPromotion,
} from '@mallard/pricing';
import { RefundError, type RefundErrorCode } from './refund-error.js';

/*
 * What the refund calculation is given, and the checks that refuse it before any arithmetic (rule 6
 * of refund-calculation.ts): afterwards every figure is a whole number that adds up as orders made
 * it, and no earlier refund gave back more than there was.
 */

/**
 * The order as priced at purchase and split, as orders keeps it (ParentOrder with its lines and
 * sub-orders, apps/orders/src/order; GET /api/v1/orders/{id} and order.split v2 carry the same).
 */
export interface PurchasedOrder {
  /** ParentOrder.currency. */
  currency: string;
  /** ParentOrder.lines, in their position order. */
  lines: PurchasedLine[];
  /**
   * The rules of the order promotions that applied at purchase (ParentOrder.appliedDiscounts names
   * them; orders' promotion book holds the rules). Rules that were on offer but lost to a better
   * one may be added: re-pricing takes the best, as pricing did.
   */
  orderPromotions: OrderPromotion[];
  /** The coupon's rule, when the coupon applied at purchase (ParentOrder.couponCode). */
  coupon?: Coupon;
  /** ParentOrder.shippingFee. */
  shippingFeeMinor: number;
  /** The shipping rule the order was priced with (orders' SHIPPING_FEE_MINOR, FREE_SHIPPING_FROM_MINOR). */
  shipping: ShippingRule;
  /** The sub-orders (SubOrder, or SubOrderV2 of order.split v2), in their position order. */
  subOrders: PurchasedSubOrder[];
}

/** An order line's figures after the split (OrderLine, apps/orders/src/order/order-line.entity.ts). */
export interface PurchasedLine {
  lineId: string;
  skuId: string;
  unitPriceMinor: number;
  quantity: number;
  itemDiscountMinor: number;
  orderDiscountShareMinor: number;
  /** The sum of its pieces' shipping shares (docs/domain.md §4). */
  shippingFeeShareMinor: number;
  /** unitPrice × quantity − itemDiscount − orderDiscountShare + shippingFeeShare. */
  paidAmountMinor: number;
}

/** A sub-order (SubOrder, apps/orders/src/order/sub-order.entity.ts). */
export interface PurchasedSubOrder {
  subOrderId: string;
  shippingFeeMinor: number;
  pieces: SubOrderPiece[];
}

/** A sub-order's piece of a line (SubOrderLine; SubOrderLineV2 of order.split v2). */
export interface SubOrderPiece {
  lineId: string;
  quantity: number;
  /** What the piece paid for its goods; plus its shipping share, its paid amount. */
  merchandiseMinor: number;
  shippingFeeShareMinor: number;
}

/** Units of one sub-order's piece of a line. */
export interface PieceUnits {
  subOrderId: string;
  lineId: string;
  quantity: number;
}

/**
 * What one earlier refund of the order gave back: an after-sales refund (asEarlierRefund), or
 * another one, such as orders' compensation of a stopped sub-order or a refused parcel (a
 * Compensation row: its sub-order, its lines' units and amounts, its shippingFeeRefunded).
 */
export interface EarlierRefund {
  /** The units given back and what they paid for their goods, before any clawback. */
  lines: (PieceUnits & { paidMinor: number })[];
  /** The shipping fee given back, per sub-order. */
  shippingFees: SubOrderAmount[];
  /** Withheld by an after-sales refund; 0 for other refunds, which withhold nothing. */
  clawbackMinor: number;
  /** Earlier withholdings an after-sales refund gave back; 0 for other refunds. */
  releasedMinor: number;
}

export interface RefundRequest {
  /** The units returned (return and refund) or refunded (refund only), at most once each. */
  lines: PieceUnits[];
  sellerAtFault: boolean;
}

export interface SubOrderAmount {
  subOrderId: string;
  amountMinor: number;
}

/** A piece with what the calculation looks it up by. */
export interface Piece extends SubOrderPiece {
  key: string;
  subOrderId: string;
  skuId: string;
}

export interface OrderBook {
  lines: Map<string, PurchasedLine>;
  pieces: Map<string, Piece>;
  subOrders: Map<string, PurchasedSubOrder>;
}

/** Units of a piece given back so far, and what they paid for their goods. */
export interface GivenBack {
  units: number;
  paidMinor: number;
}

/** The earlier refunds summed: per piece, the fee per sub-order, and what after-sales withholds. */
export interface EarlierTally {
  pieces: Map<string, GivenBack>;
  feesGiven: Map<string, number>;
  withheldMinor: number;
}

export const NOTHING_BACK: GivenBack = { units: 0, paidMinor: 0 };
const CURRENCY = /^[A-Z]{3}$/;

export const pieceKey = (subOrderId: string, lineId: string): string => JSON.stringify([subOrderId, lineId]);

/** Checks that the order's figures add up as orders makes them, and indexes its pieces. */
export function indexOrder(order: PurchasedOrder): OrderBook {
  const bad = (message: string): never => fail('INVALID_ORDER', message);
  if (typeof order.currency !== 'string' || !CURRENCY.test(order.currency))
    bad(`currency must be an ISO 4217 code, got ${String(order.currency)}`);
  if (!Array.isArray(order.lines) || order.lines.length === 0) bad('the order has no lines');
  if (!Array.isArray(order.subOrders) || order.subOrders.length === 0) bad('the order has no sub-orders: refunds come after the split');
  validateRules(order);

  const lines = new Map<string, PurchasedLine>();
  let payable = 0;
  for (const line of order.lines) {
    if (!nonEmpty(line.lineId) || !nonEmpty(line.skuId)) bad('every line needs a lineId and a skuId');
    if (lines.has(line.lineId)) bad(`line ${line.lineId} appears twice`);
    const figures = [
      line.unitPriceMinor,
      line.itemDiscountMinor,
      line.orderDiscountShareMinor,
      line.shippingFeeShareMinor,
      line.paidAmountMinor,
    ];
    if (!positive(line.quantity) || !figures.every(isMinorUnits))
      bad(`line ${line.lineId}: amounts and quantity must be whole minor units`);
    const merchandise = line.unitPriceMinor * line.quantity - line.itemDiscountMinor - line.orderDiscountShareMinor;
    if (merchandise < 0 || line.paidAmountMinor !== merchandise + line.shippingFeeShareMinor) {
      bad(`line ${line.lineId}: paid must be its amount less its discounts plus its shipping share`);
    }
    payable += line.paidAmountMinor;
    lines.set(line.lineId, line);
  }
  if (!Number.isSafeInteger(payable)) bad('the order total exceeds the safe-integer range');

  const pieces = new Map<string, Piece>();
  const subOrders = new Map<string, PurchasedSubOrder>();
  const perLine = new Map<string, { quantity: number; merchandise: number; shipping: number }>();
  for (const subOrder of order.subOrders) {
    if (!nonEmpty(subOrder.subOrderId) || subOrders.has(subOrder.subOrderId)) bad('sub-order ids must be present and distinct');
    if (!isMinorUnits(subOrder.shippingFeeMinor)) bad(`sub-order ${subOrder.subOrderId}: the shipping fee must be whole minor units`);
    if (!Array.isArray(subOrder.pieces) || subOrder.pieces.length === 0) bad(`sub-order ${subOrder.subOrderId} has no lines`);
    subOrders.set(subOrder.subOrderId, subOrder);
    for (const piece of subOrder.pieces) {
      const line = lines.get(piece.lineId) ?? bad(`sub-order ${subOrder.subOrderId} holds unknown line ${String(piece.lineId)}`);
      const key = pieceKey(subOrder.subOrderId, piece.lineId);
      if (pieces.has(key)) bad(`sub-order ${subOrder.subOrderId} holds line ${piece.lineId} twice`);
      if (!positive(piece.quantity) || !isMinorUnits(piece.merchandiseMinor) || !isMinorUnits(piece.shippingFeeShareMinor)) {
        bad(`sub-order ${subOrder.subOrderId}, line ${piece.lineId}: amounts and quantity must be whole minor units`);
      }
      pieces.set(key, { ...piece, key, subOrderId: subOrder.subOrderId, skuId: line.skuId });
      const total = perLine.get(piece.lineId) ?? { quantity: 0, merchandise: 0, shipping: 0 };
      perLine.set(piece.lineId, {
        quantity: total.quantity + piece.quantity,
        merchandise: total.merchandise + piece.merchandiseMinor,
        shipping: total.shipping + piece.shippingFeeShareMinor,
      });
    }
    if (sum(subOrder.pieces.map((piece) => piece.shippingFeeShareMinor)) !== subOrder.shippingFeeMinor) {
      bad(`sub-order ${subOrder.subOrderId}: its pieces' shipping shares must add up to its fee`);
    }
  }
  for (const line of lines.values()) {
    const total = perLine.get(line.lineId);
    const merchandise = line.paidAmountMinor - line.shippingFeeShareMinor;
    if (total?.quantity !== line.quantity || total.merchandise !== merchandise || total.shipping !== line.shippingFeeShareMinor) {
      bad(`line ${line.lineId}: its pieces must add up to its quantity, merchandise and shipping share`);
    }
  }
  if (!isMinorUnits(order.shippingFeeMinor) || sum(order.subOrders.map((s) => s.shippingFeeMinor)) !== order.shippingFeeMinor) {
    bad("the sub-orders' shipping fees must add up to the order's");
  }
  return { lines, pieces, subOrders };
}

/** The rules re-pricing applies, checked as pricing checks them, refused as a malformed order. */
function validateRules(order: PurchasedOrder): void {
  try {
    if (!Array.isArray(order.orderPromotions)) fail('INVALID_ORDER', 'orderPromotions must be a list (empty when none applied)');
    order.orderPromotions.forEach(validateOrderPromotion);
    if (order.coupon !== undefined) validateCoupon(order.coupon);
    const { flatFeeMinor, freeFromMinor } = order.shipping ?? {};
    if (!isMinorUnits(flatFeeMinor) || (freeFromMinor !== undefined && !isMinorUnits(freeFromMinor))) {
      fail('INVALID_ORDER', 'the shipping rule needs a flat fee, and any free-shipping line, in whole minor units');
    }
  } catch (error) {
    if (error instanceof PricingError) fail('INVALID_ORDER', error.message);
    throw error;
  }
}

export function tallyEarlier(book: OrderBook, earlier: readonly EarlierRefund[]): EarlierTally {
  const bad = (message: string): never => fail('INVALID_EARLIER_REFUNDS', message);
  const pieces = new Map<string, GivenBack>();
  const feesGiven = new Map<string, number>();
  let withheld = 0;
  for (const refund of earlier) {
    if (!isMinorUnits(refund.clawbackMinor) || !isMinorUnits(refund.releasedMinor))
      bad('clawback and released amounts must be whole minor units');
    withheld += refund.clawbackMinor - refund.releasedMinor;
    if (withheld < 0) bad('a refund released more than earlier refunds withheld');
    for (const line of refund.lines) {
      const piece =
        book.pieces.get(pieceKey(line.subOrderId, line.lineId)) ?? bad(`no line ${line.lineId} in sub-order ${line.subOrderId}`);
      if (!positive(line.quantity) || !isMinorUnits(line.paidMinor)) bad(`line ${line.lineId}: quantity and amount must be whole`);
      const back = pieces.get(piece.key) ?? NOTHING_BACK;
      const total = { units: back.units + line.quantity, paidMinor: back.paidMinor + line.paidMinor };
      if (total.units > piece.quantity || total.paidMinor > piece.merchandiseMinor) {
        bad(`sub-order ${piece.subOrderId}, line ${piece.lineId}: more given back than it had`);
      }
      pieces.set(piece.key, total);
    }
    for (const fee of refund.shippingFees) {
      const subOrder = book.subOrders.get(fee.subOrderId) ?? bad(`no sub-order ${fee.subOrderId}`);
      const total = (feesGiven.get(fee.subOrderId) ?? 0) + (isMinorUnits(fee.amountMinor) ? fee.amountMinor : bad('fees must be whole'));
      if (total > subOrder.shippingFeeMinor) bad(`sub-order ${fee.subOrderId}: more shipping given back than it charged`);
      feesGiven.set(fee.subOrderId, total);
    }
  }
  return { pieces, feesGiven, withheldMinor: withheld };
}

export function readRequest(book: OrderBook, before: EarlierTally, request: RefundRequest): { piece: Piece; quantity: number }[] {
  const bad = (message: string): never => fail('INVALID_REQUEST', message);
  if (typeof request.sellerAtFault !== 'boolean') bad('sellerAtFault must be true or false');
  if (!Array.isArray(request.lines) || request.lines.length === 0) bad('the request names no units');
  const seen = new Set<string>();
  return request.lines.map((line) => {
    const piece =
      book.pieces.get(pieceKey(line.subOrderId, line.lineId)) ??
      bad(`no line ${String(line.lineId)} in sub-order ${String(line.subOrderId)}`);
    if (seen.has(piece.key)) bad(`line ${line.lineId} of sub-order ${line.subOrderId} is named twice`);
    seen.add(piece.key);
    if (!positive(line.quantity)) bad(`line ${line.lineId}: quantity must be a positive integer`);
    const left = piece.quantity - (before.pieces.get(piece.key)?.units ?? 0);
    if (line.quantity > left) {
      fail(
        'UNITS_ALREADY_REFUNDED',
        `line ${line.lineId} of sub-order ${line.subOrderId}: ${line.quantity} asked, ${left} left to give back`,
      );
    }
    return { piece, quantity: line.quantity };
  });
}

function positive(value: unknown): value is number {
  return isMinorUnits(value) && value > 0;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function fail(code: RefundErrorCode, message: string): never {
  throw new RefundError(code, message);
}
