import type { TenderType } from '@mallard/contracts';

export interface RefundableTender {
  tenderId: string;
  type: TenderType;
  /** Position in the payment's tender list (the order the shopper gave them). */
  position: number;
  amountMinor: number;
  /** Already refunded or reserved by refunds in flight. */
  refundedMinor: number;
}

export interface RefundShare {
  tenderId: string;
  type: TenderType;
  amountMinor: number;
}

export class RefundSplitError extends Error {
  override readonly name = 'RefundSplitError';
  constructor(
    readonly code: 'EXCEEDS_REFUNDABLE',
    readonly refundableMinor: number,
  ) {
    super(`at most ${refundableMinor} minor units are left to refund`);
  }
}

export function refundableMinor(tenders: RefundableTender[]): number {
  return tenders.reduce((sum, tender) => sum + tender.amountMinor - tender.refundedMinor, 0);
}

/**
 * Splits a refund over the tenders that paid: by tender type in `route` order (the setting
 * REFUND_ORDER; default provider, then gift cards, then points), within a type in the order the
 * shopper listed them, each at most what it has left. More than is left is refused whole.
 */
export function splitRefund(amountMinor: number, tenders: RefundableTender[], route: readonly TenderType[]): RefundShare[] {
  const left = refundableMinor(tenders);
  if (amountMinor > left) throw new RefundSplitError('EXCEEDS_REFUNDABLE', left);
  const ordered = [...tenders].sort((a, b) => route.indexOf(a.type) - route.indexOf(b.type) || a.position - b.position);
  const parts: RefundShare[] = [];
  let remaining = amountMinor;
  for (const tender of ordered) {
    if (remaining === 0) break;
    const take = Math.min(remaining, tender.amountMinor - tender.refundedMinor);
    if (take <= 0) continue;
    parts.push({ tenderId: tender.tenderId, type: tender.type, amountMinor: take });
    remaining -= take;
  }
  return parts;
}
