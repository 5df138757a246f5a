import { ProblemException } from '@mallard/platform';
import type { TenderError } from './tenders.js';

/** A problem answer as stored with its Idempotency-Key. */
export interface StoredProblem {
  type: string;
  title: string;
  detail?: string;
}

export const paymentProblems = {
  orderNotFound: (orderId: string) =>
    new ProblemException({
      status: 404,
      slug: 'order-not-found',
      title: 'Order not found',
      detail: `payments knows no order ${orderId} of this buyer (a just-placed order may take a moment to arrive)`,
      headers: { 'Retry-After': '1' },
      extensions: { orderId },
    }),
  orderClosed: (orderId: string, reason: string | null) =>
    new ProblemException({
      status: 409,
      slug: 'order-closed',
      title: 'The order is closed',
      detail: `order ${orderId} was closed${reason ? ` (${reason})` : ''}; it can no longer be paid`,
      extensions: { orderId, reason },
    }),
  alreadyPaying: (orderId: string, paymentId: string, state: string) =>
    new ProblemException({
      status: 409,
      slug: state === 'PENDING' || state === 'CREATED' ? 'payment-in-progress' : 'order-already-paid',
      title: state === 'PENDING' || state === 'CREATED' ? 'A payment of this order is in progress' : 'The order is already paid',
      detail: `order ${orderId} has payment ${paymentId} in state ${state}`,
      extensions: { orderId, paymentId, state },
    }),
  tenders: (error: TenderError) =>
    new ProblemException({
      status: 422,
      slug: `tenders-${error.code.toLowerCase().replaceAll('_', '-')}`,
      title: 'The tenders are not acceptable',
      detail: error.message,
      extensions: { code: error.code },
    }),
  providerUnavailable: (provider: string, currency: string) =>
    new ProblemException({
      status: 422,
      slug: 'provider-unavailable',
      title: 'This payment provider cannot be used',
      detail: `${provider} is not configured or does not take ${currency}`,
      extensions: { provider, currency },
    }),
  idempotencyKeyReused: () =>
    new ProblemException({
      status: 422,
      slug: 'idempotency-key-reused',
      title: 'Idempotency-Key already used for another request',
      detail: 'this Idempotency-Key was first used with a different order or body; use a new key for a new payment',
    }),
  providerFailed: (provider: string, paymentId: string) =>
    new ProblemException({
      status: 502,
      slug: 'provider-failed',
      title: 'The payment provider could not start the payment',
      detail: `${provider} did not accept the charge; nothing was taken (gift cards and points were credited back)`,
      extensions: { provider, paymentId },
    }),
  /** The first answer to a payment request was a problem: a retry gets it again. */
  storedAnswer: (status: number, body: StoredProblem, paymentId: string) =>
    new ProblemException({
      status,
      slug: body.type.split('/').at(-1)!,
      title: body.title,
      detail: body.detail,
      extensions: { paymentId },
    }),
};
