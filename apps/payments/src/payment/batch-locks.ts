import {
  type AfterSalesRefundRequestedV1,
  afterSalesRefundRequested,
  type OrderCancelledV1,
  orderCancelled,
  type RefundRequestedV1,
  refundRequested,
} from '@mallard/contracts';
import type { BatchEvent, BatchLocks } from '@mallard/messaging';
import type { EntityManager } from 'typeorm';

/**
 * The order whose rows an event's handler locks (lock-order.ts): a cancellation takes the order's
 * row and its open payments, a refund its captured payment, and each may then move gift cards
 * and points. order.placed only inserts the order's row, or leaves a known one alone without
 * locking it (placed-order.ts), so it takes no lock another transaction could be waiting behind.
 * Every event payments handles that locks rows is listed here.
 */
function orderLockedBy(event: BatchEvent): string | undefined {
  switch (event.type) {
    case orderCancelled.type:
      return (event.data as OrderCancelledV1).orderId;
    case refundRequested.type:
      return (event.data as RefundRequestedV1).orderId;
    case afterSalesRefundRequested.type:
      return (event.data as AfterSalesRefundRequestedV1).orderId;
    default:
      return undefined;
  }
}

/**
 * The orders whose rows a run must take up front, sorted; none when fewer than two of its events
 * lock anything: one event's handler keeps the lock order by itself.
 */
export function ordersLockedByRun(events: readonly BatchEvent[]): string[] {
  const locking = events.map(orderLockedBy).filter((orderId): orderId is string => orderId !== undefined);
  if (locking.length < 2) return [];
  return [...new Set(locking)].sort();
}

/**
 * Takes, in the lock order of lock-order.ts, what a run of events will lock for its orders:
 * their rows (step 1), their payments (step 2), the gift cards of those payments' tenders (step
 * 5, in code order) and their buyers' points accounts (step 6). Tenders and refunds (steps 3 and
 * 4) need no lock here: nothing reaches them without first holding their payment.
 *
 * Each handler keeps the order, but a run as a whole did not: an earlier event's refund or
 * cancellation held a buyer's points account or a gift card when a later one asked for another
 * order's row or payment, or another card, which a payment or a provider callback held while it
 * waited for that same account or card. PostgreSQL broke the cycle after a second, and the run
 * was applied again one event at a time.
 */
export const lockOrdersOfBatch: BatchLocks = async (manager: EntityManager, events) => {
  const orderIds = ordersLockedByRun(events);
  if (orderIds.length === 0) return;
  await manager.query('SELECT 1 FROM payable_order WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE', [orderIds]);
  await manager.query('SELECT 1 FROM payment WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, id FOR UPDATE', [orderIds]);
  await manager.query(
    `SELECT 1 FROM gift_card
      WHERE code IN (SELECT t.gift_card_code FROM tender t JOIN payment p ON p.id = t.payment_id
                      WHERE p.order_id = ANY($1::uuid[]) AND t.gift_card_code IS NOT NULL)
      ORDER BY code COLLATE "C" FOR UPDATE`,
    [orderIds],
  );
  await manager.query(
    `SELECT 1 FROM points_account WHERE buyer_id IN (SELECT buyer_id FROM payment WHERE order_id = ANY($1::uuid[]))
      ORDER BY buyer_id COLLATE "C" FOR UPDATE`,
    [orderIds],
  );
};
