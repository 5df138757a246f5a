import type { PaymentMethod } from '@mallard/contracts';
import { type BillingView, toBillingView } from '../billing/billing.view.js';
import type { OrderBilling } from '../billing/order-billing.entity.js';
import type { Compensation } from '../compensation/compensation.entity.js';
import type { OrderLine } from './order-line.entity.js';
import type { OrderStateChange } from './order-state-change.entity.js';
import type { DeliverySlot, ParentOrder, Receiver } from './parent-order.entity.js';
import type { SubOrder } from './sub-order.entity.js';

/** The order as the API shows it (all amounts in minor units of `currency`). */
export interface OrderView {
  id: string;
  buyerId: string;
  state: string;
  stateReason: string | null;
  currency: string;
  paymentMethod: PaymentMethod;
  couponCode: string | null;
  receiver: Receiver;
  deliverySlot: DeliverySlot | null;
  /** Who the invoice is made out to; null when the shopper gave no details. */
  billing: BillingView | null;
  amounts: { itemsTotal: number; itemDiscount: number; orderDiscount: number; shippingFee: number; payable: number };
  appliedDiscounts: unknown[];
  lines: {
    id: string;
    skuId: string;
    name: string;
    merchantId: string;
    fulfilmentType: string;
    stockPolicy: string;
    quantity: number;
    unitPrice: number;
    lineAmount: number;
    itemDiscount: number;
    orderDiscountShare: number;
    shippingFeeShare: number;
    paidAmount: number;
    taxRateBasisPoints: number | null;
    allocations: { warehouseId: string; quantity: number }[];
  }[];
  subOrders: {
    id: string;
    warehouseId: string;
    merchantId: string;
    fulfilmentType: string;
    shippingFee: number;
    lines: { lineId: string; skuId: string; quantity: number; merchandise: number; shippingFeeShare: number; paidAmount: number }[];
    compensations: {
      kind: string;
      parcelId: string | null;
      refundAmount: number;
      shippingFeeRefunded: number;
      lines: { lineId: string; quantity: number }[];
      at: string;
    }[];
  }[];
  placedAt: string;
  paymentDueAt: string;
  paidAt: string | null;
  interceptionRequestedAt: string | null;
  history: { from: string | null; to: string; reason: string | null; at: string }[];
}

export function toOrderView(
  order: ParentOrder,
  lines: OrderLine[],
  subOrders: SubOrder[],
  history: OrderStateChange[],
  compensations: Compensation[] = [],
  billing: OrderBilling | null = null,
): OrderView {
  return {
    id: order.id,
    buyerId: order.buyerId,
    state: order.state,
    stateReason: order.stateReason,
    currency: order.currency,
    paymentMethod: order.paymentMethod,
    couponCode: order.couponCode,
    receiver: order.receiver,
    deliverySlot: order.deliverySlot,
    billing: billing ? toBillingView(billing) : null,
    amounts: {
      itemsTotal: order.itemsTotal,
      itemDiscount: order.itemDiscount,
      orderDiscount: order.orderDiscount,
      shippingFee: order.shippingFee,
      payable: order.payable,
    },
    appliedDiscounts: order.appliedDiscounts,
    lines: [...lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        id: line.id,
        skuId: line.skuId,
        name: line.skuName,
        merchantId: line.merchantId,
        fulfilmentType: line.fulfilmentType,
        stockPolicy: line.stockPolicy,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        lineAmount: line.lineAmount,
        itemDiscount: line.itemDiscount,
        orderDiscountShare: line.orderDiscountShare,
        shippingFeeShare: line.shippingFeeShare,
        paidAmount: line.paidAmount,
        taxRateBasisPoints: line.taxRateBasisPoints,
        allocations: line.allocations,
      })),
    subOrders: [...subOrders]
      .sort((a, b) => a.position - b.position)
      .map((subOrder) => ({
        id: subOrder.id,
        warehouseId: subOrder.warehouseId,
        merchantId: subOrder.merchantId,
        fulfilmentType: subOrder.fulfilmentType,
        shippingFee: subOrder.shippingFee,
        // A piece written by a pod of the previous release during a rolling update has only its
        // merchandise, as paidAmount (see migration 1764061000005).
        lines: subOrder.lines.map(({ lineId, skuId, quantity, merchandise, shippingFeeShare, paidAmount }) => ({
          lineId,
          skuId,
          quantity,
          merchandise: merchandise ?? paidAmount,
          shippingFeeShare: shippingFeeShare ?? 0,
          paidAmount,
        })),
        // After-sales' refunds are recorded only so that orders never pays them again: the shopper
        // sees them on their after-sales requests, and these are what orders itself gave back.
        compensations: compensations
          .filter((compensation) => compensation.subOrderId === subOrder.id && compensation.kind !== 'AFTER_SALES_REFUND')
          .map((compensation) => ({
            kind: compensation.kind,
            parcelId: compensation.parcelId,
            refundAmount: compensation.refundAmount,
            shippingFeeRefunded: compensation.shippingFeeRefunded,
            lines: compensation.lines.map(({ lineId, quantity }) => ({ lineId, quantity })),
            at: compensation.createdAt.toISOString(),
          })),
      })),
    placedAt: order.placedAt.toISOString(),
    paymentDueAt: order.paymentDueAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    interceptionRequestedAt: order.interceptionRequestedAt?.toISOString() ?? null,
    history: history.map((change) => ({ from: change.fromState, to: change.toState, reason: change.reason, at: change.at.toISOString() })),
  };
}

export interface OrderSummaryView {
  id: string;
  state: string;
  stateReason: string | null;
  currency: string;
  payable: number;
  itemCount: number;
  placedAt: string;
}
