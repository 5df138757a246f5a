import type { Payment } from './payment.entity.js';
import type { Tender } from './tender.entity.js';

export interface TenderView {
  type: Tender['type'];
  amountMinor: number;
  giftCardCode?: string;
  points?: number;
  provider?: string;
  state: Tender['state'];
  refundedMinor: number;
}

export interface PaymentView {
  id: string;
  serial: string;
  orderId: string;
  state: Payment['state'];
  amountMinor: number;
  currency: string;
  refundedMinor: number;
  provider: string | null;
  providerRef: string | null;
  /** What the front end does next to let the shopper pay the provider part. */
  clientAction: Record<string, unknown> | null;
  tenders: TenderView[];
  createdAt: string;
  succeededAt: string | null;
}

/** What of a tender its view shows: a row read back, or one this transaction just wrote. */
export type ShownTender = Pick<
  Tender,
  'position' | 'type' | 'amountMinor' | 'giftCardCode' | 'points' | 'provider' | 'state' | 'refundedMinor'
>;

export function toPaymentView(payment: Payment, tenders: readonly ShownTender[]): PaymentView {
  return {
    id: payment.id,
    serial: payment.serial,
    orderId: payment.orderId,
    state: payment.state,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    refundedMinor: payment.refundedMinor,
    provider: payment.provider,
    providerRef: payment.providerRef,
    clientAction: payment.clientAction,
    tenders: [...tenders]
      .sort((a, b) => a.position - b.position)
      .map((tender) => ({
        type: tender.type,
        amountMinor: tender.amountMinor,
        ...(tender.giftCardCode ? { giftCardCode: tender.giftCardCode } : {}),
        ...(tender.points !== null ? { points: tender.points } : {}),
        ...(tender.provider ? { provider: tender.provider } : {}),
        state: tender.state,
        refundedMinor: tender.refundedMinor,
      })),
    createdAt: new Date(payment.createdAt).toISOString(),
    succeededAt: payment.succeededAt ? new Date(payment.succeededAt).toISOString() : null,
  };
}
