import type { OrderCompensatedV1, OrderPurchaseRecordedV1 } from '@mallard/contracts';
import type { Coupon, OrderPromotion } from '@mallard/pricing';
import type { EarlierRefund, PurchasedOrder } from '../refunds/refund-calculation.js';
import type { PieceFacts } from '../requests/request-eligibility.js';

/** The refund calculation's view of an order, from what orders recorded at its split. */
export function purchasedOrderOf(record: OrderPurchaseRecordedV1): PurchasedOrder {
  return {
    currency: record.currency,
    lines: record.lines.map((line) => ({
      lineId: line.lineId,
      skuId: line.skuId,
      unitPriceMinor: line.unitPriceMinor,
      quantity: line.quantity,
      itemDiscountMinor: line.itemDiscountMinor,
      orderDiscountShareMinor: line.orderDiscountShareMinor,
      shippingFeeShareMinor: line.shippingFeeShareMinor,
      paidAmountMinor: line.paidAmountMinor,
    })),
    // Shapes of @mallard/pricing; the calculation validates them before use (INVALID_ORDER).
    orderPromotions: record.terms.orderPromotions as unknown as OrderPromotion[],
    ...(record.terms.coupon ? { coupon: record.terms.coupon as unknown as Coupon } : {}),
    shippingFeeMinor: record.shippingFeeMinor,
    shipping: {
      flatFeeMinor: record.terms.shipping.flatFeeMinor,
      ...(record.terms.shipping.freeFromMinor === undefined ? {} : { freeFromMinor: record.terms.shipping.freeFromMinor }),
    },
    subOrders: record.subOrders.map((subOrder) => ({
      subOrderId: subOrder.subOrderId,
      shippingFeeMinor: subOrder.shippingFeeMinor,
      pieces: subOrder.pieces.map((piece) => ({ ...piece })),
    })),
  };
}

/** Each sub-order's piece of each line, with its merchant: what a request may name. */
export function piecesOf(record: OrderPurchaseRecordedV1): PieceFacts[] {
  const skus = new Map(record.lines.map((line) => [line.lineId, line.skuId]));
  return record.subOrders.flatMap((subOrder) =>
    subOrder.pieces.map((piece) => ({
      subOrderId: subOrder.subOrderId,
      lineId: piece.lineId,
      skuId: skus.get(piece.lineId) ?? '',
      merchantId: subOrder.merchantId,
      quantity: piece.quantity,
    })),
  );
}

/**
 * What orders gave back on its own (a stopped sub-order, a refused parcel), as the refund
 * calculation counts earlier refunds. A returned parcel's restock refunds nothing: its refusal
 * already gave its units back, so it is left out.
 */
export function compensationAsEarlierRefund(compensation: OrderCompensatedV1): EarlierRefund | null {
  if (compensation.kind === 'PARCEL_RETURNED') return null;
  return {
    lines: compensation.lines.map((line) => ({
      subOrderId: compensation.subOrderId,
      lineId: line.lineId,
      quantity: line.quantity,
      paidMinor: line.amountMinor,
    })),
    shippingFees:
      compensation.shippingFeeRefundedMinor > 0
        ? [{ subOrderId: compensation.subOrderId, amountMinor: compensation.shippingFeeRefundedMinor }]
        : [],
    clawbackMinor: 0,
    releasedMinor: 0,
  };
}
