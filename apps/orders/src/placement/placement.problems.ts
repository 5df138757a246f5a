import { defineProblems } from '@mallard/platform';

export const placementProblems = defineProblems('orders', {
  /** Titled as inventory titles its own `unknown-sku`: one slug, one title. */
  unknownSkus: {
    slug: 'unknown-sku',
    status: 422,
    title: 'Unknown SKU',
    description: 'Some SKUs of the order do not exist.',
    extensions: ['skuIds'],
    create: (skuIds: string[]) => ({ detail: `unknown SKUs: ${skuIds.join(', ')}`, extensions: { skuIds } }),
  },
  offShelf: {
    slug: 'sku-off-shelf',
    status: 422,
    title: 'Some SKUs are not on the shelf',
    description: 'Some SKUs of the order are not sold at the moment.',
    extensions: ['skuIds'],
    create: (skuIds: string[]) => ({ detail: `off the shelf: ${skuIds.join(', ')}`, extensions: { skuIds } }),
  },
  mixedCurrencies: {
    slug: 'mixed-currencies',
    status: 422,
    title: 'An order is paid in one currency',
    description: 'The SKUs of the order are priced in more than one currency.',
    create: (currencies: string[]) => ({ detail: `SKUs are priced in ${currencies.join(', ')}` }),
  },
  duplicateSku: {
    slug: 'duplicate-line',
    status: 400,
    title: 'A SKU appears on two lines',
    description: 'Two lines name the same SKU.',
    create: (skuId: string) => ({ detail: `${skuId} is listed more than once; send one line with the total quantity` }),
  },
  tooManyLines: {
    slug: 'too-many-lines',
    status: 422,
    title: 'Too many lines',
    description: 'The order has more lines than one order may have.',
    create: (max: number) => ({ detail: `an order has at most ${max} lines` }),
  },
  purchaseLimit: {
    slug: 'purchase-limit-exceeded',
    status: 422,
    title: 'Purchase limit exceeded',
    description: 'The shopper would hold more of a SKU than its per-shopper limit, counting open and paid orders.',
    extensions: ['skuId', 'limit'],
    create: (skuId: string, limit: number) => ({
      detail: `at most ${limit} of ${skuId} per shopper, counting open and paid orders`,
      extensions: { skuId, limit },
    }),
  },
  couponNotFound: {
    slug: 'coupon-not-found',
    status: 422,
    title: 'Unknown coupon',
    description: 'No active coupon has this code.',
    extensions: ['couponCode'],
    create: (code: string) => ({ detail: `no active coupon ${code}`, extensions: { couponCode: code } }),
  },
  couponNotApplicable: {
    slug: 'coupon-not-applicable',
    status: 422,
    title: 'The coupon does not apply to this cart',
    description: 'The coupon exists but its conditions are not met by this cart.',
    extensions: ['couponCode', 'reason'],
    create: (code: string, reason: string | undefined) => ({
      detail: `coupon ${code} does not apply${reason ? `: ${reason}` : ''}`,
      extensions: { couponCode: code, reason },
    }),
  },
  pricingRefused: {
    slug: 'pricing-refused',
    status: 422,
    title: 'The order cannot be priced',
    description: 'The pricing rules refuse the cart as it is.',
    extensions: ['code'],
    create: (code: string, detail: string) => ({ detail, extensions: { code } }),
  },
  tooManyUnpaidOrders: {
    slug: 'too-many-unpaid-orders',
    status: 422,
    title: 'Too many unpaid orders',
    description: 'The shopper already has as many unpaid orders as allowed.',
    extensions: ['limit'],
    create: (limit: number) => ({
      detail: `a shopper may have at most ${limit} unpaid orders at once; pay or cancel one first`,
      extensions: { limit },
    }),
  },
  tooManyHeldUnits: {
    slug: 'too-many-held-units',
    status: 422,
    title: 'Too many units held unpaid',
    description: 'The order would take the units the shopper holds in unpaid orders over the limit.',
    extensions: ['limit', 'held', 'requested'],
    create: (limit: number, held: number, requested: number) => ({
      detail: `a shopper may have at most ${limit} units held in unpaid orders; ${held} are held and this order would add ${requested}`,
      extensions: { limit, held, requested },
    }),
  },
  idempotencyKeyReused: {
    slug: 'idempotency-key-reused',
    status: 422,
    title: 'Idempotency-Key already used for another request',
    description: 'The Idempotency-Key was first used to place an order with a different body.',
    create: () => ({ detail: 'this Idempotency-Key was first used with a different body; use a new key for a new order' }),
  },
});
