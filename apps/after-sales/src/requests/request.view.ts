import type {
  AfterSalesRefundResponse,
  AfterSalesRequestResponse,
  CustomerServiceContactResponse,
  EvidenceFileResponse,
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
    lines: request.lines.map(({ subOrderId, lineId, skuId, quantity, replacementSkuId }) => ({
      subOrderId,
      lineId,
      skuId,
      quantity,
      replacementSkuId: replacementSkuId ?? null,
    })),
    contact,
    returnShipping: request.returnShipping,
    returnParcel: request.returnParcel
      ? {
          carrierCode: request.returnParcel.carrierCode,
          trackingNumber: request.returnParcel.trackingNumber,
          shippedAt: request.returnParcel.shippedAt,
          bookedBy: request.returnParcel.bookedBy ?? 'SHOPPER',
          pickupAt: request.returnParcel.pickupAt ?? null,
          trackingState: request.returnParcel.tracking?.state ?? null,
          trackingStateAt: request.returnParcel.tracking?.at ?? null,
          receivedAt: request.receivedAt?.toISOString() ?? null,
          inspectionPassed: request.inspectionPassed,
          inspectionNote: request.inspectionNote,
        }
      : null,
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
    ageSeconds: Math.max(0, Math.floor((now.getTime() - request.stateChangedAt.getTime()) / 1000)),
  };
}

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
