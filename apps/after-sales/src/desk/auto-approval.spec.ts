import { describe, expect, it } from 'vitest';
import { autoApproval } from './auto-approval.js';

const OFF = { AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR: 0, AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE: 0 };
const ON = { AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR: 5000, AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE: 2 };

describe('auto-approval rules', () => {
  it('approves a refund only up to the amount, naming the rule and the figures', () => {
    const small = { type: 'REFUND_ONLY' as const, sellerAtFault: false, refundMinor: 5000, evidenceCount: 0 };
    expect(autoApproval(small, ON)).toEqual({ rule: 'AUTO_APPROVE_REFUND_ONLY_UNDER_MINOR', note: expect.stringContaining('5000 ≤ 5000') });
    expect(autoApproval({ ...small, refundMinor: 5001 }, ON)).toBeNull();
    expect(autoApproval({ ...small, refundMinor: null }, ON)).toBeNull();
    expect(autoApproval({ ...small, type: 'RETURN_AND_REFUND' }, ON)).toBeNull();
  });

  it('approves a seller-fault request with enough evidence, of any type', () => {
    const damaged = { type: 'RETURN_AND_REFUND' as const, sellerAtFault: true, refundMinor: null, evidenceCount: 2 };
    expect(autoApproval(damaged, ON)?.rule).toBe('AUTO_APPROVE_SELLER_FAULT_WITH_EVIDENCE');
    expect(autoApproval({ ...damaged, evidenceCount: 1 }, ON)).toBeNull();
    expect(autoApproval({ ...damaged, sellerAtFault: false }, ON)).toBeNull();
  });

  it('approves nothing when the rules are off (0)', () => {
    expect(autoApproval({ type: 'REFUND_ONLY', sellerAtFault: true, refundMinor: 1, evidenceCount: 9 }, OFF)).toBeNull();
  });
});
