import type { SubOrderInterception } from '../interception/sub-order-interception.entity.js';
import type { Parcel } from '../parcels/parcel.entity.js';
import type { ParcelLine } from '../parcels/parcel-line.entity.js';
import type { SubOrder } from '../sub-orders/sub-order.entity.js';
import type { SubOrderLine } from '../sub-orders/sub-order-line.entity.js';
import type { SubOrderStateChange } from '../sub-orders/sub-order-state-change.entity.js';
import type { ParcelCheckpoint } from '../tracking/parcel-checkpoint.entity.js';

/** A parcel as the warehouse, customer service and its shopper see it (ParcelResponse in libs/contracts). */
export function toParcelView(parcel: Parcel, lines: ParcelLine[], checkpoints: ParcelCheckpoint[]) {
  return {
    id: parcel.id,
    subOrderId: parcel.subOrderId,
    orderId: parcel.orderId,
    state: parcel.state,
    carrierCode: parcel.carrierCode,
    trackingNumber: parcel.trackingNumber,
    handedOverAt: parcel.handedOverAt?.toISOString() ?? null,
    lines: lines.filter((line) => line.parcelId === parcel.id).map(({ lineId, skuId, quantity }) => ({ lineId, skuId, quantity })),
    tracking: checkpoints
      .filter((checkpoint) => checkpoint.parcelId === parcel.id)
      .map(({ occurredAt, state, provider, providerStatus, message, location }) => ({
        occurredAt: occurredAt.toISOString(),
        state,
        provider,
        providerStatus,
        message,
        location,
      })),
  };
}

export type ParcelView = ReturnType<typeof toParcelView>;

/** A sub-order as its warehouse works on it (WarehouseSubOrderResponse): what to send, to whom, in which parcels; no prices. */
export function toWarehouseSubOrderView(
  subOrder: SubOrder,
  lines: SubOrderLine[],
  parcels: Parcel[],
  parcelLines: ParcelLine[],
  checkpoints: ParcelCheckpoint[],
  history: SubOrderStateChange[],
) {
  return {
    id: subOrder.id,
    orderId: subOrder.orderId,
    warehouseId: subOrder.warehouseId,
    merchantId: subOrder.merchantId,
    fulfilmentType: subOrder.fulfilmentType,
    state: subOrder.state,
    version: subOrder.version,
    receiver: subOrder.receiver,
    deliverySlot: subOrder.deliverySlot,
    paidAt: subOrder.paidAt.toISOString(),
    replacementFor: subOrder.replacementFor,
    lines: lines.map(({ lineId, skuId, skuName, quantity }) => ({ lineId, skuId, skuName, quantity })),
    parcels: parcels.map((parcel) => toParcelView(parcel, parcelLines, checkpoints)),
    history: history.map((change) => ({
      from: change.fromState,
      to: change.toState,
      actor: { kind: change.actorKind, id: change.actorId },
      reason: change.reason,
      at: change.at.toISOString(),
    })),
  };
}

export type WarehouseSubOrderView = ReturnType<typeof toWarehouseSubOrderView>;

/** A sub-order as its shopper follows it (ShipmentResponse): its status, the interception, its parcels and their tracking. */
export function toShipmentView(
  subOrder: SubOrder,
  interception: SubOrderInterception | undefined,
  parcels: Parcel[],
  parcelLines: ParcelLine[],
  checkpoints: ParcelCheckpoint[],
) {
  return {
    subOrderId: subOrder.id,
    fulfilmentType: subOrder.fulfilmentType,
    state: subOrder.state,
    interception: interception ? { outcome: interception.outcome, reason: interception.reason } : null,
    parcels: parcels.map((parcel) => toParcelView(parcel, parcelLines, checkpoints)),
  };
}

export type ShipmentView = ReturnType<typeof toShipmentView>;
