export type RefundErrorCode =
  /** The order's figures contradict each other (lines, pieces and sub-orders must add up). */
  | 'INVALID_ORDER'
  /** Earlier refunds name units the order does not have, or give back more than it paid. */
  | 'INVALID_EARLIER_REFUNDS'
  /** The request is empty, malformed, or names a piece twice or one the order does not have. */
  | 'INVALID_REQUEST'
  /** The request asks for more units of a piece than are left to give back. */
  | 'UNITS_ALREADY_REFUNDED';

/** Input the refund calculation refuses; `code` is stable, for mapping to a 4xx answer. */
export class RefundError extends Error {
  override readonly name = 'RefundError';

  constructor(
    readonly code: RefundErrorCode,
    message: string,
  ) {
    super(message);
  }
}
