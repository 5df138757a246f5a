import type { SubOrderState } from '@mallard/contracts';
import { defineProblems } from '@mallard/platform';

/** What staff and merchants are told when a step in the warehouse cannot be taken. */
export const fulfilmentProblems = defineProblems('logistics', {
  subOrderNotFound: {
    slug: 'sub-order-not-found',
    status: 404,
    title: 'Sub-order not found',
    description: 'No sub-order with this id (or none of the warehouses the caller may work for).',
    create: (subOrderId: string) => ({ detail: `no sub-order ${subOrderId}` }),
  },
  warehouseNotYours: {
    slug: 'warehouse-not-yours',
    status: 403,
    title: 'Not one of your warehouses',
    description: 'Warehouse staff list only the sub-orders of the warehouses their token names (`npm run token -- --warehouse`).',
    extensions: ['warehouseId'],
    create: (warehouseId: string) => ({ detail: `your token does not name warehouse ${warehouseId}`, extensions: { warehouseId } }),
  },
  parcelNotFound: {
    slug: 'parcel-not-found',
    status: 404,
    title: 'Parcel not found',
    description: 'No parcel with this id.',
    create: (parcelId: string) => ({ detail: `no parcel ${parcelId}` }),
  },
  stepRefused: {
    slug: 'sub-order-step-refused',
    status: 409,
    title: 'The sub-order cannot take this step now',
    description:
      'The step does not follow from the sub-order’s state or does not suit its fulfilment type (a drop-ship sub-order is not picked by us; a shipped one is not packed again). Read the sub-order and act on its `state`.',
    extensions: ['subOrderId', 'state'],
    create: (subOrderId: string, state: SubOrderState, step: string) => ({
      detail: `sub-order ${subOrderId} is ${state}: it cannot ${step}`,
      extensions: { subOrderId, state },
    }),
  },
  parcelContentsInvalid: {
    slug: 'parcel-contents-invalid',
    status: 422,
    title: 'The parcels do not match the sub-order',
    description:
      'A parcel names a line the sub-order does not have, or the parcels hold more units of a line than it has (or, when packing, fewer).',
    extensions: ['problems'],
    create: (problems: string[]) => ({ detail: problems.join('; '), extensions: { problems } }),
  },
  trackingNumberTaken: {
    slug: 'tracking-number-taken',
    status: 409,
    title: 'Tracking number already on another parcel',
    description: 'This carrier’s tracking number is already on another parcel. Check the label; every parcel has its own.',
    extensions: ['carrierCode', 'trackingNumber'],
    create: (carrierCode: string, trackingNumber: string) => ({
      detail: `${carrierCode} ${trackingNumber} is already on another parcel`,
      extensions: { carrierCode, trackingNumber },
    }),
  },
  parcelAlreadyHandedOver: {
    slug: 'parcel-already-handed-over',
    status: 409,
    title: 'Parcel already handed to a carrier',
    description: 'The parcel was handed over before, with another carrier or tracking number.',
    extensions: ['carrierCode', 'trackingNumber'],
    create: (carrierCode: string | null, trackingNumber: string | null) => ({
      detail: `the parcel went with ${carrierCode} ${trackingNumber}`,
      extensions: { carrierCode, trackingNumber },
    }),
  },
});
