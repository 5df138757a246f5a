/**
 * THE LOCK ORDER of the payments service. Every transaction takes its row locks in this order,
 * skipping what it does not need, so no two of them can wait on each other in a cycle:
 *
 *   0. the request's own dedupe row, which only transactions of the same kind touch: its
 *      idempotency key in idempotent_request (scopes `pay`, `refund`, `provider-event`) or,
 *      for an event, its inbox_message row. A provider callback writes its provider_event row
 *      last, but that row belongs to the key it already holds, so nothing else waits for it
 *   1. payable_order       (the order's row: paying, order.cancelled)
 *   2. payment             (FOR UPDATE, or the compare-and-set on its state)
 *   3. tender              (compare-and-set on its state or refunded amount)
 *   4. refund, refund_part (the refund worker claims a part with SKIP LOCKED, which never waits,
 *      before the payment)
 *   5. gift_card           several at once in code order
 *   6. points_account      one per buyer
 *
 * order.placed and the gateway's copy of an order insert the row or fill in one without amounts,
 * and neither change nor lock an order already known (placed-order.ts).
 *
 * A consumer run applies several events' handlers in one transaction; each handler follows the
 * order, but the run as a whole would hold a later lock (a points account) when a later event
 * asks for an earlier one (an order row). So a run first takes steps 1, 2, 5 and 6 for all the
 * orders its events lock (batch-locks.ts). Deadlocks that still happen are retried: by the consumer
 * transport for events, and by `withLockRetry` (then 503) for HTTP requests.
 */

/** Gift cards by code first, then points: ledger rows in lock order (steps 5 and 6). */
export function inLedgerLockOrder<T extends { type: string; giftCardCode: string | null; position: number }>(tenders: readonly T[]): T[] {
  const rank = (tender: T) => (tender.type === 'GIFT_CARD' ? 0 : tender.type === 'POINTS' ? 1 : 2);
  return [...tenders].sort((a, b) => rank(a) - rank(b) || byCode(a.giftCardCode ?? '', b.giftCardCode ?? '') || a.position - b.position);
}

/** Plain code-point order, like the ASCII codes sort in PostgreSQL, never the locale's. */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
