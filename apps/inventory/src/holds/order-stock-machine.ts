import { StateMachine } from '@mallard/platform';
import type { OrderStockState } from './order-stock.js';

/**
 * Where an order's stock state may go: the moves the decisions in order-stock.ts lead to, and
 * no other. Every write of `order_stock.state` is checked against it, so a rule that starts
 * asking for a new move fails loudly until the move is added here.
 *
 * - NEW: order.placed holds (HELD), has nothing to hold (NOTHING_HELD) or is short
 *   (RESERVATION_FAILED); order.cancelled or order.paid may also arrive first.
 * - HELD: released by a cancel (CANCELLED) or by the hold-expiry worker (EXPIRED).
 * - Any state before payment: order.paid deducts (DEDUCTED) or cannot (DEDUCTION_FAILED).
 * - Both outcomes of a payment are final.
 */
export const ORDER_STOCK = new StateMachine<OrderStockState>({
  name: 'order stock',
  transitions: {
    NEW: ['HELD', 'NOTHING_HELD', 'RESERVATION_FAILED', 'CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
    HELD: ['CANCELLED', 'EXPIRED', 'DEDUCTED', 'DEDUCTION_FAILED'],
    NOTHING_HELD: ['CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
    RESERVATION_FAILED: ['CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
    EXPIRED: ['CANCELLED', 'DEDUCTED', 'DEDUCTION_FAILED'],
    CANCELLED: ['DEDUCTED', 'DEDUCTION_FAILED'],
    DEDUCTED: [],
    DEDUCTION_FAILED: [],
  },
  initial: ['NEW'],
  terminal: ['DEDUCTED', 'DEDUCTION_FAILED'],
});
