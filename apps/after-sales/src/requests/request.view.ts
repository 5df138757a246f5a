import type {
  AfterSalesLineResponse,
  AfterSalesRefundResponse,
  AfterSalesRequestResponse,
  CustomerServiceContactResponse,
  EvidenceFileResponse,
  ReturnParcelResponse,
  WarehouseReturnResponse,
  WarehouseReturnState,
} from '@mallard/contracts';
import type { RefundCalculation } from '../refunds/refund-calculation.js';
import type { AfterSalesRequest } from './after-sales-request.entity.js';
import type { AfterSalesStep } from './after-sales-step.entity.js';

export type AfterSalesRequestView = AfterSalesRequestResponse;

export function toRequestView(
  request: AfterSalesRequest,
  steps: readonly AfterSalesStep[],
  evidence: EvidenceFileResponse[],
  contact: CustomerServiceContactResponse,
  now: Date,
): AfterSalesRequestView {
  return {
    id: request.id,
    orderId: request.orderId,
    buyerId: request.buyerId,
    merchantId: request.merchantId,
    type: request.type,
    reason: request.reason,
    sellerAtFault: request.sellerAtFault,
    state: request.state,
    description: request.description,
    lines: linesView(request),
    contact,
    returnShipping: request.returnShipping,
    returnParcel: returnParcelView(request),
    refund: request.refund ? refundView(request.refund, request.refundedAt, request.refundFailure) : null,
    replacementSubOrderId: request.replacementSubOrderId,
    evidence,
    history: steps.map((step) => ({
      from: step.fromState,
      to: step.toState,
      actor: { kind: step.actorKind, id: step.actorId },
      automatic: step.automatic,
      note: step.note,
      at: step.at.toISOString(),
    })),
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    ageSeconds: ageSeconds(request, now),
  };
}

/**
 * The request as the warehouse its goods come back to sees it (GET /warehouse/after-sales): only
 * what it needs to expect, receive and inspect them. Listed only for a return or an exchange from
 * APPROVED on (ReturnsService.comingBack), which the casts below rely on.
 */
export function toWarehouseReturnView(request: AfterSalesRequest, now: Date): WarehouseReturnResponse {
  return {
    id: request.id,
    orderId: request.orderId,
    merchantId: request.merchantId,
    type: request.type as WarehouseReturnResponse['type'],
    reason: request.reason,
    sellerAtFault: request.sellerAtFault,
    state: request.state as WarehouseReturnState,
    lines: linesView(request),
    returnParcel: returnParcelView(request),
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    ageSeconds: ageSeconds(request, now),
  };
}

function linesView(request: AfterSalesRequest): AfterSalesLineResponse[] {
  return request.lines.map(({ subOrderId, lineId, skuId, quantity, replacementSkuId }) => ({
    subOrderId,
    lineId,
    skuId,
    quantity,
    replacementSkuId: replacementSkuId ?? null,
  }));
}

function returnParcelView(request: AfterSalesRequest): ReturnParcelResponse | null {
  const parcel = request.returnParcel;
  if (!parcel) return null;
  return {
    carrierCode: parcel.carrierCode,
    trackingNumber: parcel.trackingNumber,
    shippedAt: parcel.shippedAt,
    bookedBy: parcel.bookedBy ?? 'SHOPPER',
    pickupAt: parcel.pickupAt ?? null,
    trackingState: parcel.tracking?.state ?? null,
    trackingStateAt: parcel.tracking?.at ?? null,
    receivedAt: request.receivedAt?.toISOString() ?? null,
    inspectionPassed: request.inspectionPassed,
    inspectionNote: request.inspectionNote,
  };
}

const ageSeconds = (request: AfterSalesRequest, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - request.stateChangedAt.getTime()) / 1000));

function refundView(refund: RefundCalculation, refundedAt: Date | null, failure: string | null): AfterSalesRefundResponse {
  return {
    currency: refund.currency,
    lines: refund.lines.map((line) => ({
      subOrderId: line.subOrderId,
      lineId: line.lineId,
      skuId: line.skuId,
      quantity: line.quantity,
      paid: line.paidMinor,
      clawback: line.clawbackMinor,
      released: line.releasedMinor,
      shipping: line.shippingMinor,
      refunded: line.refundedMinor,
    })),
    paid: refund.paidMinor,
    clawback: refund.clawbackMinor,
    released: refund.releasedMinor,
    shipping: refund.shippingMinor,
    refunded: refund.refundedMinor,
    refundedAt: refundedAt?.toISOString() ?? null,
    failure,
  };
}
