import type { StuckWorkKind } from '@mallard/messaging';
import type { LogisticsConfig } from '../config/logistics-config.js';

type StuckWorkSettings = Pick<LogisticsConfig, 'STUCK_UNSHIPPED_SUB_ORDER_HOURS' | 'STUCK_INTERCEPTION_MINUTES'>;

/** The sub-orders and interceptions that should have moved on by now (docs/operations.md, "Stuck work"). */
export function logisticsStuckWork(config: StuckWorkSettings): StuckWorkKind[] {
  return [
    {
      // Waiting for the warehouse (pick, pack, handover) or the merchant or platform (shipment).
      kind: 'sub_order_not_shipped',
      boundSeconds: config.STUCK_UNSHIPPED_SUB_ORDER_HOURS * 3_600,
      // sub_order_unshipped (migration 1764400000014).
      query: `SELECT 1 FROM sub_order WHERE state IN ('AWAITING_PICK', 'PICKING', 'PACKED', 'PARTIALLY_SHIPPED')
              AND created_at < now() - make_interval(secs => $1)`,
    },
    {
      // REQUESTED is decided at once but for a drop-ship merchant's sub-order (INTERCEPTING): its answer.
      kind: 'interception_unanswered',
      boundSeconds: config.STUCK_INTERCEPTION_MINUTES * 60,
      // sub_order_interception_requested (migration 1764400000014).
      query: `SELECT 1 FROM sub_order_interception WHERE outcome = 'REQUESTED' AND requested_at < now() - make_interval(secs => $1)`,
    },
  ];
}
