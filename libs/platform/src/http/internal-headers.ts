import { requestProblems } from './request.problems.js';

/**
 * Headers between the gateway and the services. Their values are never taken from the wire:
 * the gateway puts them inside the signed service token (libs/platform/src/auth), and each
 * service's ServiceTokenGuard deletes whatever loose `x-mallard-*` and `idempotency-key`
 * headers arrived and writes back the values of the verified token. They stay headers only so
 * that the services' controllers keep reading them with `@Headers(...)` unchanged.
 */
export const BUYER_HEADER = 'x-mallard-buyer';
/**
 * An order as orders knows it (JSON: orderId, buyerId, currency, payableMinor, placedAt,
 * paymentDueAt, state), handed by the gateway with every payment: orders is the authority, so
 * payments refuses an order orders has closed before `order.cancelled` reaches it, and can take
 * a payment before `order.placed` does.
 */
export const ORDER_SNAPSHOT_HEADER = 'x-mallard-order';
/** The staff member acting, for the record (issued by, requested by). */
export const ACTOR_HEADER = 'x-mallard-actor';
/** The roles of the gateway's caller, comma-separated. */
export const ROLES_HEADER = 'x-mallard-roles';
/**
 * The warehouses (and drop-ship merchants) a warehouse staff member works for, comma-separated:
 * present, the service shows and changes only their sub-orders (empty: none); absent, the caller
 * is not limited (an admin).
 */
export const WAREHOUSES_HEADER = 'x-mallard-warehouses';
/** The client's Idempotency-Key, passed on by the gateway (inside the service token too). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function requireBuyer(buyerId: string | undefined): string {
  if (!buyerId) {
    throw requestProblems.buyerRequired(BUYER_HEADER);
  }
  return buyerId;
}

/** Every request that creates or pays something carries a key, and the same one on a retry. */
export function requireIdempotencyKey(key: string | undefined): string {
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw requestProblems.idempotencyKeyRequired();
  }
  return key;
}
