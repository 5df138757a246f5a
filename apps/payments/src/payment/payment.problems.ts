import { defineProblems, ProblemException } from '@mallard/platform';
import type { TenderError, TenderErrorCode } from './tenders.js';

/** A problem answer as stored with its Idempotency-Key. */
export interface StoredProblem {
  type: string;
  title: string;
  detail?: string;
}

const tenderProblem = <Slug extends string>(slug: Slug, description: string) =>
  ({
    slug,
    status: 422,
    title: 'The tenders are not acceptable',
    description,
    extensions: ['code'],
    create: (error: TenderError) => ({ detail: error.message, extensions: { code: error.code } }),
  }) as const;

export const paymentCatalogue = defineProblems('payments', {
  /** Also the money trail's answer (money-trail.problems.ts): the detail suits a shopper paying and staff looking alike. */
  orderNotFound: {
    slug: 'order-not-found',
    status: 404,
    title: 'Order not found',
    description: 'Payments knows no such order, or none of the caller’s; a just-placed order may take a moment to arrive.',
    extensions: ['orderId'],
    headers: { 'Retry-After': '1' },
    create: (orderId: string) => ({
      detail: `payments knows no order ${orderId} (a just-placed order may take a moment to arrive)`,
      extensions: { orderId },
    }),
  },
  orderClosed: {
    slug: 'order-closed',
    status: 409,
    title: 'The order is closed',
    description: 'The order was cancelled or expired; it can no longer be paid.',
    extensions: ['orderId', 'reason'],
    create: (orderId: string, reason: string | null) => ({
      detail: `order ${orderId} was closed${reason ? ` (${reason})` : ''}; it can no longer be paid`,
      extensions: { orderId, reason },
    }),
  },
  paymentInProgress: {
    slug: 'payment-in-progress',
    status: 409,
    title: 'A payment of this order is in progress',
    description: 'Another payment of the order is being started or waits for its provider.',
    extensions: ['orderId', 'paymentId', 'state'],
    create: (orderId: string, paymentId: string, state: string) => ({
      detail: `order ${orderId} has payment ${paymentId} in state ${state}`,
      extensions: { orderId, paymentId, state },
    }),
  },
  /** The same type orders answers a cancellation of a paid order with. */
  orderAlreadyPaid: {
    slug: 'order-already-paid',
    status: 409,
    title: 'The order is already paid',
    description: 'The order has a captured payment.',
    extensions: ['orderId', 'paymentId', 'state'],
    create: (orderId: string, paymentId: string, state: string) => ({
      detail: `order ${orderId} has payment ${paymentId} in state ${state}`,
      extensions: { orderId, paymentId, state },
    }),
  },
  tendersNoTenders: tenderProblem('tenders-no-tenders', 'The payment lists no tender.'),
  tendersDuplicateGiftCard: tenderProblem('tenders-duplicate-gift-card', 'The same gift card is listed twice.'),
  tendersMoreThanOnePoints: tenderProblem('tenders-more-than-one-points', 'Points are listed as more than one tender.'),
  tendersMoreThanOneProvider: tenderProblem('tenders-more-than-one-provider', 'More than one external provider is listed.'),
  tendersPointsNotConvertible: tenderProblem(
    'tenders-points-not-convertible',
    'The points are not a whole, non-zero number of minor units at the points rate.',
  ),
  tendersTotalMismatch: tenderProblem('tenders-total-mismatch', 'The tenders do not add up to the order’s payable amount.'),
  tendersNothingToPay: tenderProblem('tenders-nothing-to-pay', 'The order’s payable amount is 0.'),
  providerUnavailable: {
    slug: 'provider-unavailable',
    status: 422,
    title: 'This payment provider cannot be used',
    description: 'The provider is not configured or does not take the order’s currency.',
    extensions: ['provider', 'currency'],
    create: (provider: string, currency: string) => ({
      detail: `${provider} is not configured or does not take ${currency}`,
      extensions: { provider, currency },
    }),
  },
  /** The same type orders answers a reused placement key with. */
  idempotencyKeyReused: {
    slug: 'idempotency-key-reused',
    status: 422,
    title: 'Idempotency-Key already used for another request',
    description: 'The Idempotency-Key was first used to pay with a different order or body.',
    create: () => ({ detail: 'this Idempotency-Key was first used with a different order or body; use a new key for a new payment' }),
  },
  providerFailed: {
    slug: 'provider-failed',
    status: 502,
    title: 'The payment provider could not start the payment',
    description: 'The provider did not accept the charge; nothing was taken.',
    extensions: ['provider', 'paymentId'],
    create: (provider: string, paymentId: string) => ({
      detail: `${provider} did not accept the charge; nothing was taken (gift cards and points were credited back)`,
      extensions: { provider, paymentId },
    }),
  },
});

/** `tenders-<code>`: one entry per TenderErrorCode, so every type a client can get is documented. */
const TENDER_PROBLEMS: Record<TenderErrorCode, (error: TenderError) => ProblemException> = {
  NO_TENDERS: paymentCatalogue.tendersNoTenders,
  DUPLICATE_GIFT_CARD: paymentCatalogue.tendersDuplicateGiftCard,
  MORE_THAN_ONE_POINTS: paymentCatalogue.tendersMoreThanOnePoints,
  MORE_THAN_ONE_PROVIDER: paymentCatalogue.tendersMoreThanOneProvider,
  POINTS_NOT_CONVERTIBLE: paymentCatalogue.tendersPointsNotConvertible,
  TOTAL_MISMATCH: paymentCatalogue.tendersTotalMismatch,
  NOTHING_TO_PAY: paymentCatalogue.tendersNothingToPay,
};

export const paymentProblems = {
  orderNotFound: paymentCatalogue.orderNotFound,
  orderClosed: paymentCatalogue.orderClosed,
  alreadyPaying: (orderId: string, paymentId: string, state: string): ProblemException =>
    state === 'PENDING' || state === 'CREATED'
      ? paymentCatalogue.paymentInProgress(orderId, paymentId, state)
      : paymentCatalogue.orderAlreadyPaid(orderId, paymentId, state),
  tenders: (error: TenderError): ProblemException => TENDER_PROBLEMS[error.code](error),
  providerUnavailable: paymentCatalogue.providerUnavailable,
  idempotencyKeyReused: paymentCatalogue.idempotencyKeyReused,
  providerFailed: paymentCatalogue.providerFailed,
  /**
   * The first answer to a payment request was a problem: a retry gets it again. Its type is one
   * of the catalogue's, stored when it was first answered, so it is rebuilt from what was stored.
   */
  storedAnswer: (status: number, body: StoredProblem, paymentId: string): ProblemException =>
    new ProblemException({
      status,
      slug: body.type.split('/').at(-1)!,
      title: body.title,
      detail: body.detail,
      extensions: { paymentId },
    }),
};
