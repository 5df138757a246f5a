import type { StuckWorkKind } from '@mallard/messaging';
import type { PaymentsConfig } from '../config/payments-config.js';

type StuckWorkSettings = Pick<PaymentsConfig, 'STUCK_PENDING_PAYMENT_MINUTES' | 'STUCK_REFUND_MINUTES'>;

/** The payments and refunds that should have reached a final state by now (docs/operations.md, "Stuck work"). */
export function paymentsStuckWork(config: StuckWorkSettings): StuckWorkKind[] {
  return [
    {
      // A payment may rightly wait for its provider as long as its order may be paid; once the
      // order closes, order.cancelled cancels it. Still PENDING well after: that never happened.
      kind: 'payment_pending_past_window',
      boundSeconds: config.STUCK_PENDING_PAYMENT_MINUTES * 60,
      // payment_pending (migration 1764063000004), then each order by its key.
      query: `SELECT 1 FROM payment JOIN payable_order ON payable_order.order_id = payment.order_id
              WHERE payment.state = 'PENDING' AND payable_order.payment_due_at < now() - make_interval(secs => $1)`,
    },
    {
      // PENDING while a provider part waits for the refund worker (retried with backoff).
      kind: 'refund_not_final',
      boundSeconds: config.STUCK_REFUND_MINUTES * 60,
      // refund_pending (migration 1764063000004).
      query: `SELECT 1 FROM refund WHERE state = 'PENDING' AND created_at < now() - make_interval(secs => $1)`,
    },
  ];
}
