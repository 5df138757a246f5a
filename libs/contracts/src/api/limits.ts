/**
 * Bounds of the numbers the public API takes. They are far above any real sale and far below
 * 2^53, so sums of them stay exact integers, and one absurd value saved by staff (a discount
 * of 1e300) can never make every later order fail.
 */

/** Any single amount of money, in minor units (10^10 in major units). */
export const MAX_MONEY_MINOR = 1_000_000_000_000;

/** Percentages are basis points: 10 000 is 100 %. */
export const MAX_BASIS_POINTS = 10_000;

/** Units in one stock movement, either way. */
export const MAX_STOCK_UNITS = 1_000_000;

/** Pages of a list: past this, ask with a narrower filter. */
export const MAX_PAGE = 100_000;

/** Ids of merchants, warehouses, SKUs, promotions and coupons: URL-safe, at most 100 characters. */
export const CATALOG_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
