import type { StuckWorkKind } from '@mallard/messaging';
import type { AfterSalesConfig } from '../config/after-sales-config.js';

type StuckWorkSettings = Pick<AfterSalesConfig, 'STUCK_AFTER_SALES_DECISION_HOURS' | 'STUCK_AFTER_SALES_REFUND_MINUTES'>;

/** The after-sales requests that should have moved on by now (docs/operations.md, "Stuck work"). */
export function afterSalesStuckWork(config: StuckWorkSettings): StuckWorkKind[] {
  return [
    {
      // The desk's queue; AWAITING_EVIDENCE waits for the shopper, not for customer service.
      kind: 'after_sales_awaiting_decision',
      boundSeconds: config.STUCK_AFTER_SALES_DECISION_HOURS * 3_600,
      // after_sales_request_queue (state, state_changed_at).
      query: `SELECT 1 FROM after_sales_request WHERE state = 'REQUESTED' AND state_changed_at < now() - make_interval(secs => $1)`,
    },
    {
      // Asked of payments; its refund.succeeded (or refund.failed, which leaves it here for staff) is awaited.
      kind: 'after_sales_refund_not_settled',
      boundSeconds: config.STUCK_AFTER_SALES_REFUND_MINUTES * 60,
      // after_sales_request_queue (state, state_changed_at).
      query: `SELECT 1 FROM after_sales_request WHERE state = 'REFUNDING' AND state_changed_at < now() - make_interval(secs => $1)`,
    },
  ];
}
