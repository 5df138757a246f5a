import { boundCoveringSweeps, type StuckWorkKind } from '@mallard/messaging';
import type { OrdersConfig } from '../config/orders-config.js';

type StuckWorkSettings = Pick<OrdersConfig, 'STUCK_UNPAID_ORDER_MINUTES' | 'STUCK_PAID_ORDER_MINUTES' | 'PAYMENT_WINDOW_SWEEP_MS'>;

/** The parent orders that should have moved on by now (docs/operations.md, "Stuck work"). */
export function ordersStuckWork(config: StuckWorkSettings): StuckWorkKind[] {
  return [
    {
      // The payment-window sweep closes them; one still open is a sweep that fails or falls behind.
      kind: 'order_unpaid_past_window',
      boundSeconds: boundCoveringSweeps(config.STUCK_UNPAID_ORDER_MINUTES * 60, config.PAYMENT_WINDOW_SWEEP_MS),
      // parent_order_unpaid_due: the sweep's own index.
      query: `SELECT 1 FROM parent_order WHERE state IN ('PLACED', 'AWAITING_PAYMENT') AND payment_due_at < now() - make_interval(secs => $1)`,
    },
    {
      // Waiting for inventory's stock.deducted (or stock.deduction-failed) to split or fail it.
      kind: 'order_paid_not_split',
      boundSeconds: config.STUCK_PAID_ORDER_MINUTES * 60,
      // parent_order_paid_since (migration 1764061000012).
      query: `SELECT 1 FROM parent_order WHERE state = 'PAID' AND paid_at < now() - make_interval(secs => $1)`,
    },
  ];
}
