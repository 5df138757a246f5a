import { PAYMENT_STATES, type PaymentStateName } from '@mallard/contracts';
import { StateMachine } from '@mallard/platform';

/**
 * The life of a payment. Every change is a row in payment_log; `PAYMENT` is the only way to
 * move between states.
 *
 *   CREATED ─┬─▶ SUCCEEDED ──▶ PARTIALLY_REFUNDED ──▶ REFUNDED
 *            └─▶ PENDING ─┬─▶ SUCCEEDED
 *                         ├─▶ FAILED ──────▶ REFUNDED   (the provider captured after all: given back)
 *                         └─▶ CANCELLED ───▶ REFUNDED   (the order closed first: given back)
 */
// The states are part of the public contract (a payment's `state`); the moves between them are payments' own.
export { PAYMENT_STATES };
export type PaymentState = PaymentStateName;

export const PAYMENT = new StateMachine<PaymentState>({
  name: 'payment',
  transitions: {
    CREATED: ['PENDING', 'SUCCEEDED', 'FAILED'],
    PENDING: ['SUCCEEDED', 'FAILED', 'CANCELLED'],
    SUCCEEDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
    // Each further partial refund is a change of its own (refunded_minor grows), logged like any.
    PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
    FAILED: ['REFUNDED'],
    CANCELLED: ['REFUNDED'],
    REFUNDED: [],
  },
  initial: ['CREATED'],
  terminal: ['REFUNDED'],
});

/**
 * States that hold the order: while a payment is in one, no other payment of the order may
 * start. So does a REFUNDED payment that had succeeded (not one whose late capture was returned).
 */
export const ACTIVE_PAYMENT_STATES: readonly PaymentState[] = ['CREATED', 'PENDING', 'SUCCEEDED', 'PARTIALLY_REFUNDED'];

/** States whose money was captured and may be refunded. */
export const CAPTURED_STATES: readonly PaymentState[] = ['SUCCEEDED', 'PARTIALLY_REFUNDED'];

/** What the provider says about its part of a payment, once normalised. */
export type ProviderOutcome = 'SUCCEEDED' | 'FAILED' | 'PENDING';

export type OutcomeDecision =
  | { kind: 'SUCCEED' }
  | { kind: 'FAIL' }
  /** The provider took money for an attempt we already gave up on: keep the record, give it back. */
  | { kind: 'REFUND_LATE_CAPTURE' }
  | { kind: 'IGNORE'; why: string };

/**
 * Applying a provider callback, whatever order callbacks arrive in: a duplicate does nothing,
 * a late failure never undoes a success, and a success after we gave up is refunded.
 */
export function decideProviderOutcome(state: PaymentState, providerCaptured: boolean, outcome: ProviderOutcome): OutcomeDecision {
  if (outcome === 'PENDING') return { kind: 'IGNORE', why: 'still pending at the provider' };
  switch (state) {
    case 'CREATED':
    case 'PENDING':
      return outcome === 'SUCCEEDED' ? { kind: 'SUCCEED' } : { kind: 'FAIL' };
    case 'SUCCEEDED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return { kind: 'IGNORE', why: outcome === 'SUCCEEDED' ? 'already succeeded' : 'a late failure never undoes a success' };
    case 'FAILED':
    case 'CANCELLED':
      if (outcome === 'FAILED') return { kind: 'IGNORE', why: `already ${state.toLowerCase()}` };
      return providerCaptured ? { kind: 'IGNORE', why: 'late capture already recorded' } : { kind: 'REFUND_LATE_CAPTURE' };
  }
}

/** The state a captured payment is in once `refundedMinor` of its `amountMinor` went back. */
export function stateAfterRefund(amountMinor: number, refundedMinor: number): PaymentState {
  return refundedMinor >= amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}
