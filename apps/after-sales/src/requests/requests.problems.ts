import { defineProblems } from '@mallard/platform';
import type { ReplacementRefusal } from '../exchanges/replacement-rule.js';
import type { Eligibility } from './request-eligibility.js';

type Refusal = Extract<Eligibility, { eligible: false }>;

/** What shoppers and staff are told when an after-sales request cannot be made or moved. */
export const requestProblems = defineProblems('after-sales', {
  orderNotFound: {
    slug: 'after-sales-order-not-found',
    status: 404,
    title: 'Order not found for after-sales',
    description:
      'No order with this id among the caller’s, or the order is not paid and split yet (after-sales learns of an order when it is split).',
    create: (orderId: string) => ({ detail: `no split order ${orderId} of yours` }),
  },
  requestNotFound: {
    slug: 'after-sales-request-not-found',
    status: 404,
    title: 'After-sales request not found',
    description: 'No after-sales request with this id (a shopper sees only their own).',
    create: (requestId: string) => ({ detail: `no after-sales request ${requestId}` }),
  },
  notEligible: {
    slug: 'after-sales-not-eligible',
    status: 422,
    title: 'These units cannot be asked about',
    description:
      'The request names a line the sub-order does not have, names one twice, spans merchants, asks about units not delivered, outside the merchant’s window after delivery, or more units than were delivered less what earlier requests claim; NOT_RECEIVED is for a REFUND_ONLY of a parcel a carrier has had for NOT_ARRIVED_AFTER_DAYS (or lost). `reason` says which; `available` how many units may still be asked, `allowedFrom` when NOT_RECEIVED becomes possible.',
    extensions: ['reason', 'subOrderId', 'lineId', 'available', 'allowedFrom'],
    create: (refusal: Refusal) => ({
      detail: refusal.detail,
      extensions: {
        reason: refusal.reason,
        ...(refusal.subOrderId ? { subOrderId: refusal.subOrderId, lineId: refusal.lineId } : {}),
        ...(refusal.available === undefined ? {} : { available: refusal.available }),
        ...(refusal.allowedFrom ? { allowedFrom: refusal.allowedFrom.toISOString() } : {}),
      },
    }),
  },
  replacementRefused: {
    slug: 'after-sales-replacement-refused',
    status: 422,
    title: 'This replacement cannot be sent',
    description:
      'An exchange sends the same SKU, or a variant of the same merchant, on the shelf, at the unit price paid for the line: a price difference is refused (return the goods and order the other SKU). A replacement SKU on a request that is not an exchange is refused too. `reason`: `UNKNOWN_SKU`, `OTHER_MERCHANT`, `OFF_SHELF`, `PRICE_DIFFERS` (with `priceMinor` and `paidUnitPriceMinor`), `NOT_AN_EXCHANGE`.',
    extensions: ['reason', 'skuId', 'priceMinor', 'paidUnitPriceMinor'],
    create: (refusal: ReplacementRefusal | { reason: 'NOT_AN_EXCHANGE'; skuId: string; detail: string }) => ({
      detail: refusal.detail,
      extensions: {
        reason: refusal.reason,
        skuId: refusal.skuId,
        ...('priceMinor' in refusal && refusal.priceMinor !== undefined
          ? { priceMinor: refusal.priceMinor, paidUnitPriceMinor: refusal.paidUnitPriceMinor }
          : {}),
      },
    }),
  },
  stepRefused: {
    slug: 'after-sales-step-refused',
    status: 409,
    title: 'The request cannot take this step now',
    description:
      'The step does not follow from the request’s state or type (a refund only has no return parcel; a decided request is not decided again). Read the request and act on its `state`.',
    extensions: ['requestId', 'state'],
    create: (requestId: string, state: string, step: string) => ({
      detail: `request ${requestId} is ${state}: it cannot ${step}`,
      extensions: { requestId, state },
    }),
  },
  refundNotCalculable: {
    slug: 'after-sales-refund-not-calculable',
    status: 409,
    title: 'The refund cannot be calculated',
    description:
      'The units were given back another way since the request was made (a refused parcel, a stopped sub-order), or the order’s recorded figures do not add up: customer service should reject the request with that reason.',
    extensions: ['code'],
    create: (code: string, message: string) => ({ detail: message, extensions: { code } }),
  },
  evidenceMissing: {
    slug: 'after-sales-evidence-missing',
    status: 400,
    title: 'No file in the upload',
    description: 'An evidence upload is multipart/form-data with one to nine files (photos or videos).',
    create: () => ({ detail: 'attach at least one file (multipart/form-data)' }),
  },
  idempotencyKeyReused: {
    slug: 'idempotency-key-reused',
    status: 422,
    title: 'Idempotency-Key already used for another request',
    description: 'The Idempotency-Key was first used with a different body.',
    create: () => ({ detail: 'this Idempotency-Key was first used for another after-sales request; use a new key for a new request' }),
  },
  warehouseNotYours: {
    slug: 'after-sales-warehouse-not-yours',
    status: 403,
    title: 'Not one of your warehouses',
    description: 'Warehouse staff list only the returns coming back to the warehouses their token names (`npm run token -- --warehouse`).',
    extensions: ['warehouseId'],
    create: (warehouseId: string) => ({ detail: `your token does not name warehouse ${warehouseId}`, extensions: { warehouseId } }),
  },
  closeRefused: {
    slug: 'after-sales-close-refused',
    status: 409,
    title: 'The request cannot be closed now',
    description:
      'Customer service closes, with a reason, a request that cannot go on (a refund that cannot be calculated or that payments refused, a replacement that cannot be shipped). A request waiting for a decision is rejected instead; one that has ended stays as it is.',
    extensions: ['requestId', 'state'],
    create: (requestId: string, state: string) => ({
      detail: `request ${requestId} is ${state}: reject a request before its decision; an ended one stays as it is`,
      extensions: { requestId, state },
    }),
  },
});
