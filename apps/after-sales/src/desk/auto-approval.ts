import type { AfterSalesType } from '@mallard/contracts';

/**
 * Requests customer service need not look at (docs/domain.md §8), as settings; 0 turns a rule off.
 * - AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR: a refund only whose refund, with the order's earlier
 *   after-sales refunds, is at most this amount;
 * - AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE: a seller-fault request with at least this many files.
 * A request waiting in REQUESTED is judged when it is made and each time evidence is added; the
 * decision is recorded as automatic, naming the rule and the figures it saw.
 */
export interface AutoApprovalSettings {
  AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR: number;
  AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE: number;
}

export interface AutoApprovalCase {
  type: AfterSalesType;
  sellerAtFault: boolean;
  /** What a refund only would refund now, with what after-sales refunded on the order before; null when it cannot be calculated. */
  refundMinor: number | null;
  /** Distinct files: the same photo twice counts once. */
  evidenceCount: number;
}

export interface AutoApproval {
  rule: 'AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR' | 'AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE';
  note: string;
}

export function autoApproval(request: AutoApprovalCase, settings: AutoApprovalSettings): AutoApproval | null {
  const limit = settings.AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR;
  if (request.type === 'REFUND_ONLY' && limit > 0 && request.refundMinor !== null && request.refundMinor <= limit) {
    return { rule: 'AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR', note: `auto-approved: a refund only of ${request.refundMinor} ≤ ${limit}` };
  }
  const files = settings.AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE;
  if (request.sellerAtFault && files > 0 && request.evidenceCount >= files) {
    return {
      rule: 'AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE',
      note: `auto-approved: the seller is at fault and ${request.evidenceCount} file(s) of evidence were given (rule: ${files})`,
    };
  }
  return null;
}
