import { ProblemException } from '@mallard/platform';
import type { TenderError } from './tenders.js';

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
  giftCardRefused: (code: string, why: 'UNKNOWN' | 'CURRENCY' | 'EXPIRED' | 'INSUFFICIENT', balanceMinor?: number) =>
    new ProblemException({
      status: 422,
      slug: 'gift-card-refused',
      title: 'A gift card cannot pay this amount',
      detail: {
        UNKNOWN: `no gift card ${code}`,
        CURRENCY: `gift card ${code} is in another currency`,
        EXPIRED: `gift card ${code} has expired`,
        INSUFFICIENT: `gift card ${code} has ${balanceMinor ?? 0} minor units left`,
      }[why],
      extensions: { code, why, ...(why === 'INSUFFICIENT' ? { balanceMinor } : {}) },
    }),
  insufficientPoints: (balance: number, wanted: number) =>
    new ProblemException({
      status: 422,
      slug: 'insufficient-points',
      title: 'Not enough points',
      detail: `${wanted} points wanted, ${balance} available`,
      extensions: { balance, wanted },
    }),
  idempotencyKeyReused: () =>
    new ProblemException({
      status: 422,
      slug: 'idempotency-key-reused',
      title: 'Idempotency-Key already used for another request',
      detail: 'this Idempotency-Key was first used with a different order or body; use a new key for a new payment',
    }),
  grantIdReused: (grantId: string) =>
    new ProblemException({
      status: 422,
      slug: 'grant-id-reused',
      title: 'grantId already used for another grant',
      detail: `points grant ${grantId} was first made with a different buyer, amount or reason; use a new grantId for a new grant`,
      extensions: { grantId },
    }),
  providerFailed: (provider: string, paymentId: string) =>
    new ProblemException({
      status: 502,
      slug: 'provider-failed',
      title: 'The payment provider could not start the payment',
      detail: `${provider} did not accept the charge; nothing was taken (gift cards and points were credited back)`,
      extensions: { provider, paymentId },
    }),
};
