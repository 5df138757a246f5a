/**
 * The parent order's life, as the order saga drives it. Every change goes through
 * `nextState`, so an event that arrives in a state where it means nothing is recognised as
 * such instead of silently corrupting the order.
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
export const ORDER_STATES = ['PLACED', 'AWAITING_PAYMENT', 'PAID', 'SPLIT', 'CANCELLED', 'FAILED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export type OrderTrigger =
  | 'STOCK_RESERVED'
  | 'STOCK_UNAVAILABLE'
  | 'PAYMENT_SUCCEEDED'
  | 'STOCK_DEDUCTED'
  | 'STOCK_DEDUCTION_FAILED'
  | 'CANCELLED_BY_SHOPPER'
  | 'PAYMENT_WINDOW_ELAPSED'
  | 'HOLD_EXPIRED';

const TRANSITIONS: Record<OrderState, Partial<Record<OrderTrigger, OrderState>>> = {
  PLACED: {
    STOCK_RESERVED: 'AWAITING_PAYMENT',
    STOCK_UNAVAILABLE: 'CANCELLED',
    PAYMENT_SUCCEEDED: 'PAID',
    CANCELLED_BY_SHOPPER: 'CANCELLED',
    PAYMENT_WINDOW_ELAPSED: 'CANCELLED',
    HOLD_EXPIRED: 'CANCELLED',
  },
  AWAITING_PAYMENT: {
    PAYMENT_SUCCEEDED: 'PAID',
    CANCELLED_BY_SHOPPER: 'CANCELLED',
    PAYMENT_WINDOW_ELAPSED: 'CANCELLED',
    HOLD_EXPIRED: 'CANCELLED',
  },
  PAID: {
    STOCK_DEDUCTED: 'SPLIT',
    STOCK_DEDUCTION_FAILED: 'FAILED',
  },
  SPLIT: {},
  CANCELLED: {},
  FAILED: {},
};

/** The state a trigger leads to, or undefined when it does not apply in this state. */
export function nextState(state: OrderState, trigger: OrderTrigger): OrderState | undefined {
  return TRANSITIONS[state][trigger];
}

export const UNPAID_STATES: readonly OrderState[] = ['PLACED', 'AWAITING_PAYMENT'];

export function isUnpaid(state: OrderState): boolean {
  return UNPAID_STATES.includes(state);
}
