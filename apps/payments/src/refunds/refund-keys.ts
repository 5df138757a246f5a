import type { RefundSource } from './refund.entity.js';

/** Staff refund ids and system ones (events, automatic refunds) never meet: unique per space. */
export type RefundKeySpace = 'STAFF' | 'SYSTEM';

export function keySpaceOf(source: RefundSource): RefundKeySpace {
  return source === 'STAFF' ? 'STAFF' : 'SYSTEM';
}

/**
 * What staff may type as a refundId: letters, digits, `.`, `_`, `-`, up to 128. No `:`, so a
 * staff id never even spells a system one (`auto:<paymentId>`, `<orderId>:<reason>:<paymentId>`).
 */
export const STAFF_REFUND_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
