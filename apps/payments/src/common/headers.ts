import { ProblemException } from '@mallard/platform';

/** Set by the gateway from the verified token; payments is not reachable from outside. */
export const BUYER_HEADER = 'x-mallard-buyer';
/** The staff member acting, for the record (issued_by, requested_by). */
export const ACTOR_HEADER = 'x-mallard-actor';

export function requireBuyer(buyerId: string | undefined): string {
  if (!buyerId) {
    throw new ProblemException({ status: 400, slug: 'buyer-required', title: 'Buyer missing', detail: `the ${BUYER_HEADER} header is required` });
  }
  return buyerId;
}

export function requireIdempotencyKey(key: string | undefined): string {
  if (!key || !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new ProblemException({
      status: 400,
      slug: 'idempotency-key-required',
      title: 'Idempotency-Key header required',
      detail: 'send a unique Idempotency-Key (1–200 visible ASCII characters) with every payment, and the same one when retrying it',
    });
  }
  return key;
}

export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string } };
  return candidate?.code === '23505' || candidate?.driverError?.code === '23505';
}
