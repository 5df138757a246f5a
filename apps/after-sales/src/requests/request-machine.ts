import type { AfterSalesState } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';

/**
 * An after-sales request (docs/domain.md §8). Customer service approves, rejects, or asks for more
 * evidence (the shopper's files bring it back to REQUESTED). A refund only is refunded on approval;
 * a return waits for its parcel, is received and inspected, then refunded (or closed without a
 * refund: received so, or failed inspection without the seller at fault); an exchange ships a
 * replacement instead. Customer service closes, with a reason, an approved request that cannot go on.
 */
export const AFTER_SALES_REQUEST = new StateMachine<AfterSalesState>({
  name: 'after-sales-request',
  transitions: {
    REQUESTED: ['AWAITING_EVIDENCE', 'APPROVED', 'REJECTED'],
    AWAITING_EVIDENCE: ['REQUESTED', 'APPROVED', 'REJECTED'],
    APPROVED: ['REFUNDING', 'REFUNDED', 'RETURN_SHIPPED', 'CLOSED'],
    RETURN_SHIPPED: ['RETURN_RECEIVED', 'CLOSED'],
    RETURN_RECEIVED: ['REFUNDING', 'REFUNDED', 'EXCHANGING', 'CLOSED'],
    REFUNDING: ['REFUNDED', 'CLOSED'],
    EXCHANGING: ['EXCHANGED', 'REFUNDING', 'REFUNDED', 'CLOSED'],
    REFUNDED: [],
    EXCHANGED: [],
    REJECTED: [],
    CLOSED: [],
  },
  initial: ['REQUESTED'],
  terminal: ['REFUNDED', 'EXCHANGED', 'REJECTED', 'CLOSED'],
});
