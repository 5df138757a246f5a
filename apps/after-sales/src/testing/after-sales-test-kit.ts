import { randomUUID } from 'node:crypto';
import type { OrderPurchaseRecordedV1, ParcelState, ParcelStateChangedV1 } from '@mallard/contracts';
import type { PricingInput } from '@mallard/pricing';
import { purchasedOrder, type SubOrderPlan } from './purchased-orders.js';

/**
 * What orders publishes at a split for `cart` split as `plan` (fresh uuids for the order, its
 * lines and sub-orders: plan and cart name them by the cart's line ids and 'S1', 'S2'…).
 */
export function purchaseRecordedOf(
  cart: PricingInput,
  plan: readonly SubOrderPlan[],
  options: { buyerId?: string; merchantId?: string; warehouseId?: string } = {},
): OrderPurchaseRecordedV1 & { lineIdOf: (cartLineId: string) => string; subOrderIdOf: (planId: string) => string } {
  const lineIds = new Map(cart.lines.map((line) => [line.lineId, randomUUID()]));
  const subOrderIds = new Map(plan.map((subOrder) => [subOrder.subOrderId, randomUUID()]));
  const lineIdOf = (id: string) => lineIds.get(id)!;
  const subOrderIdOf = (id: string) => subOrderIds.get(id)!;
  const order = purchasedOrder(
    { ...cart, lines: cart.lines.map((line) => ({ ...line, lineId: lineIdOf(line.lineId) })) },
    plan.map((subOrder) => ({
      subOrderId: subOrderIdOf(subOrder.subOrderId),
      lines: subOrder.lines.map((line) => ({ ...line, lineId: lineIdOf(line.lineId) })),
    })),
  );
  const merchantId = options.merchantId ?? 'the-mall';
  return {
    orderId: randomUUID(),
    buyerId: options.buyerId ?? 'alice',
    currency: order.currency,
    paidAt: new Date().toISOString(),
    shippingFeeMinor: order.shippingFeeMinor,
    lines: order.lines.map((line) => ({ ...line, skuName: line.skuId, merchantId })),
    subOrders: order.subOrders.map((subOrder) => ({
      subOrderId: subOrder.subOrderId,
      warehouseId: options.warehouseId ?? 'wh-east',
      merchantId,
      fulfilmentType: 'SELF_OPERATED' as const,
      shippingFeeMinor: subOrder.shippingFeeMinor,
      pieces: subOrder.pieces,
    })),
    terms: {
      orderPromotions: order.orderPromotions as unknown as Record<string, unknown>[],
      ...(order.coupon ? { coupon: order.coupon as unknown as Record<string, unknown> } : {}),
      shipping: { ...order.shipping },
    },
    lineIdOf,
    subOrderIdOf,
  };
}

/** Logistics' report of a parcel of `record`'s sub-order holding `lines` (by line id) reaching `state`. */
export function parcelChanged(
  record: OrderPurchaseRecordedV1,
  subOrderId: string,
  lines: { lineId: string; quantity: number }[],
  state: ParcelState,
  options: { parcelId?: string; version?: number; occurredAt?: Date } = {},
): ParcelStateChangedV1 {
  const skuOf = new Map(record.lines.map((line) => [line.lineId, line.skuId]));
  return {
    orderId: record.orderId,
    subOrderId,
    parcelId: options.parcelId ?? randomUUID(),
    version: options.version ?? 5,
    to: state,
    carrierCode: 'sf-express',
    trackingNumber: `SF${Math.floor(Math.random() * 1e10)}`,
    lines: lines.map((line) => ({ ...line, skuId: skuOf.get(line.lineId)! })),
    source: 'CARRIER',
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
  };
}

/** The payload as sent: the test kit's helpers stripped. */
export function wire(record: ReturnType<typeof purchaseRecordedOf>): OrderPurchaseRecordedV1 {
  const { lineIdOf: _lines, subOrderIdOf: _subOrders, ...payload } = record;
  return payload;
}
