import { ProblemException } from '@mallard/platform';

export const placementProblems = {
  unknownSkus: (skuIds: string[]) =>
    new ProblemException({
      status: 422,
      slug: 'unknown-sku',
      title: 'Some SKUs do not exist',
      detail: `unknown SKUs: ${skuIds.join(', ')}`,
      extensions: { skuIds },
    }),
  offShelf: (skuIds: string[]) =>
    new ProblemException({
      status: 422,
      slug: 'sku-off-shelf',
      title: 'Some SKUs are not on the shelf',
      detail: `off the shelf: ${skuIds.join(', ')}`,
      extensions: { skuIds },
    }),
  mixedCurrencies: (currencies: string[]) =>
    new ProblemException({
      status: 422,
      slug: 'mixed-currencies',
      title: 'An order is paid in one currency',
      detail: `SKUs are priced in ${currencies.join(', ')}`,
    }),
  duplicateSku: (skuId: string) =>
    new ProblemException({
      status: 400,
      slug: 'duplicate-line',
      title: 'A SKU appears on two lines',
      detail: `${skuId} is listed more than once; send one line with the total quantity`,
    }),
  tooManyLines: (max: number) =>
    new ProblemException({ status: 422, slug: 'too-many-lines', title: 'Too many lines', detail: `an order has at most ${max} lines` }),
  purchaseLimit: (skuId: string, limit: number) =>
    new ProblemException({
      status: 422,
      slug: 'purchase-limit-exceeded',
      title: 'Purchase limit exceeded',
      detail: `at most ${limit} of ${skuId} per shopper, counting open and paid orders`,
      extensions: { skuId, limit },
    }),
  couponNotFound: (code: string) =>
    new ProblemException({
      status: 422,
      slug: 'coupon-not-found',
      title: 'Unknown coupon',
      detail: `no active coupon ${code}`,
      extensions: { couponCode: code },
    }),
  couponNotApplicable: (code: string, reason: string | undefined) =>
    new ProblemException({
      status: 422,
      slug: 'coupon-not-applicable',
      title: 'The coupon does not apply to this cart',
      detail: `coupon ${code} does not apply${reason ? `: ${reason}` : ''}`,
      extensions: { couponCode: code, reason },
    }),
  pricingRefused: (code: string, detail: string) =>
    new ProblemException({ status: 422, slug: 'pricing-refused', title: 'The order cannot be priced', detail, extensions: { code } }),
  tooManyUnpaidOrders: (limit: number) =>
    new ProblemException({
      status: 422,
      slug: 'too-many-unpaid-orders',
      title: 'Too many unpaid orders',
      detail: `a shopper may have at most ${limit} unpaid orders at once; pay or cancel one first`,
      extensions: { limit },
    }),
  tooManyHeldUnits: (limit: number, held: number, requested: number) =>
    new ProblemException({
      status: 422,
      slug: 'too-many-held-units',
      title: 'Too many units held unpaid',
      detail: `a shopper may have at most ${limit} units held in unpaid orders; ${held} are held and this order would add ${requested}`,
      extensions: { limit, held, requested },
    }),
  idempotencyKeyReused: () =>
    new ProblemException({
      status: 422,
      slug: 'idempotency-key-reused',
      title: 'Idempotency-Key already used for another request',
      detail: 'this Idempotency-Key was first used with a different body; use a new key for a new order',
    }),
};
