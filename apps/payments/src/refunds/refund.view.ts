import type { Refund } from './refund.entity.js';
import type { RefundPart } from './refund-part.entity.js';

export type RefundPartView = Pick<
  RefundPart,
  'type' | 'amountMinor' | 'points' | 'provider' | 'providerRef' | 'state' | 'attempts' | 'lastError' | 'completedAt'
>;

export interface RefundView {
  id: string;
  /** The requester's refundId (our `refund_key`). */
  refundId: string;
  serial: string;
  paymentId: string | null;
  amountMinor: number;
  currency: string;
  reason: string;
  source: Refund['source'];
  state: Refund['state'];
  failure: string | null;
  requestedBy: string | null;
  createdAt: Date;
  completedAt: Date | null;
  parts: RefundPartView[];
}

/** A refund and its parts (those of other refunds are left out), as staff see it. */
export function toRefundView(refund: Refund, parts: RefundPart[]): RefundView {
  return {
    id: refund.id,
    refundId: refund.refundKey,
    serial: refund.serial,
    paymentId: refund.paymentId,
    amountMinor: refund.amountMinor,
    currency: refund.currency,
    reason: refund.reason,
    source: refund.source,
    state: refund.state,
    failure: refund.failure,
    requestedBy: refund.requestedBy,
    createdAt: refund.createdAt,
    completedAt: refund.completedAt,
    parts: parts
      .filter((part) => part.refundId === refund.id)
      .map(({ type, amountMinor, points, provider, providerRef, state, attempts, lastError, completedAt }) => ({
        type,
        amountMinor,
        points,
        provider,
        providerRef,
        state,
        attempts,
        lastError,
        completedAt,
      })),
  };
}
