import { ProblemException } from './problem-details.js';

/**
 * Headers between the gateway and the services. The services are not reachable from outside:
 * the gateway sets the buyer from the verified token, never from the caller.
 */
export const BUYER_HEADER = 'x-mallard-buyer';
/**
 * An order as orders knows it (JSON: orderId, buyerId, currency, payableMinor, placedAt,
 * paymentDueAt), handed by the gateway to a service that has not yet heard `order.placed`.
 */
export const ORDER_SNAPSHOT_HEADER = 'x-mallard-order';
/** The staff member acting, for the record (issued by, requested by). */
export const ACTOR_HEADER = 'x-mallard-actor';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function requireBuyer(buyerId: string | undefined): string {
  if (!buyerId) {
    throw new ProblemException({ status: 400, slug: 'buyer-required', title: 'Buyer missing', detail: `the ${BUYER_HEADER} header is required` });
  }
  return buyerId;
}

/** Every request that creates or pays something carries a key, and the same one on a retry. */
export function requireIdempotencyKey(key: string | undefined): string {
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw new ProblemException({
      status: 400,
      slug: 'idempotency-key-required',
      title: 'Idempotency-Key header required',
      detail: 'send a unique Idempotency-Key (1–200 visible ASCII characters) with every new request, and the same one when retrying it',
    });
  }
  return key;
}
