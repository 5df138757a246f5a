import { ORDER_STATES, type OrderState } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';

/**
 * The parent order's life, as the order saga drives it. Every change is a trigger fired on
 * `ORDER`, so an event that arrives in a state where it means nothing is recognised as such
 * instead of silently corrupting the order.
 *
 *   PLACED ──stock held──▶ AWAITING_PAYMENT ──paid──▶ PAID ──stock deducted──▶ SPLIT
 *     │                         │                       │
 *     │ stock unavailable       │ cancelled / window    │ stock gone after payment
 *     ▼                         ▼ elapsed / hold expired ▼
 *   CANCELLED ◀─────────────────┘                      FAILED (money refunded)
 *
 * A payment that arrives for a PLACED order (stock still being held) is accepted too: the
 * deduction after payment takes the stock either way.
 */
// The states are part of the public contract (the order's `state`); the moves between them are orders' own.
export { ORDER_STATES, type OrderState };

export type OrderTrigger =
  | 'STOCK_RESERVED'
  | 'STOCK_UNAVAILABLE'
  | 'PAYMENT_SUCCEEDED'
  | 'STOCK_DEDUCTED'
  | 'STOCK_DEDUCTION_FAILED'
  | 'CANCELLED_BY_SHOPPER'
  | 'PAYMENT_WINDOW_ELAPSED'
  | 'HOLD_EXPIRED';

/** The states in which the order still waits for its money: it may be paid or closed. */
export const UNPAID_STATES: readonly OrderState[] = ['PLACED', 'AWAITING_PAYMENT'];

export function isUnpaid(state: OrderState): boolean {
  return UNPAID_STATES.includes(state);
}

export const ORDER = new StateMachine<OrderState, OrderTrigger>({
  name: 'order',
  transitions: {
    PLACED: ['AWAITING_PAYMENT', 'PAID', 'CANCELLED'],
    AWAITING_PAYMENT: ['PAID', 'CANCELLED'],
    PAID: ['SPLIT', 'FAILED'],
    SPLIT: [],
    CANCELLED: [],
    FAILED: [],
  },
  initial: ['PLACED'],
  terminal: ['SPLIT', 'CANCELLED', 'FAILED'],
  triggers: {
    STOCK_RESERVED: { from: ['PLACED'], to: 'AWAITING_PAYMENT' },
    STOCK_UNAVAILABLE: { from: ['PLACED'], to: 'CANCELLED' },
    PAYMENT_SUCCEEDED: { from: UNPAID_STATES, to: 'PAID' },
    STOCK_DEDUCTED: { from: ['PAID'], to: 'SPLIT' },
    STOCK_DEDUCTION_FAILED: { from: ['PAID'], to: 'FAILED' },
    CANCELLED_BY_SHOPPER: { from: UNPAID_STATES, to: 'CANCELLED' },
    PAYMENT_WINDOW_ELAPSED: { from: UNPAID_STATES, to: 'CANCELLED' },
    HOLD_EXPIRED: { from: UNPAID_STATES, to: 'CANCELLED' },
  },
});
