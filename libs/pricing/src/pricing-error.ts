export type PricingErrorCode =
  | 'EMPTY_CART'
  | 'INVALID_CURRENCY'
  | 'INVALID_LINE'
  | 'INVALID_QUANTITY'
  | 'INVALID_PRICE'
  | 'DUPLICATE_LINE_ID'
  | 'UNSAFE_AMOUNT'
  | 'INVALID_PROMOTION'
  | 'INVALID_COUPON'
  | 'INVALID_SHIPPING'
  | 'INVALID_SUB_ORDERS';

/** Input the engine refuses to price; `code` is stable, for mapping to a 4xx answer. */
export class PricingError extends Error {
  override readonly name = 'PricingError';

  constructor(
    readonly code: PricingErrorCode,
    message: string,
  ) {
    super(message);
  }
}
