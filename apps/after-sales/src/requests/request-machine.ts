import type { AfterSalesState } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';

/**
 * An after-sales request (docs/domain.md §8). Customer service approves, rejects, or asks for more
 * evidence (the shopper's files bring it back to REQUESTED). A refund only is refunded on approval;
 * a return waits for its parcel, is received and inspected, then refunded (or closed without a
 * refund when staff say so); an exchange ships a replacement instead.
 */
export const AFTER_SALES_REQUEST = new StateMachine<AfterSalesState>({
  name: 'after-sales-request',
  transitions: {
    REQUESTED: ['AWAITING_EVIDENCE', 'APPROVED', 'REJECTED'],
    AWAITING_EVIDENCE: ['REQUESTED', 'APPROVED', 'REJECTED'],
    APPROVED: ['REFUNDING', 'REFUNDED', 'RETURN_SHIPPED', 'RETURN_RECEIVED'],
    RETURN_SHIPPED: ['RETURN_RECEIVED'],
    RETURN_RECEIVED: ['REFUNDING', 'REFUNDED', 'EXCHANGING', 'CLOSED'],
    REFUNDING: ['REFUNDED'],
    EXCHANGING: ['EXCHANGED', 'REFUNDING', 'REFUNDED'],
    REFUNDED: [],
    EXCHANGED: [],
    REJECTED: [],
    CLOSED: [],
  },
  initial: ['REQUESTED'],
  terminal: ['REFUNDED', 'EXCHANGED', 'REJECTED', 'CLOSED'],
});
