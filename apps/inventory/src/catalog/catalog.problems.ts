import { defineProblems } from '@mallard/platform';

/** 404 for a resource the path names; the 422s are business refusals of a well-formed request. */
export const catalogProblems = defineProblems('inventory', {
  merchantNotFound: {
    slug: 'merchant-not-found',
    status: 404,
    title: 'Unknown merchant',
    description: 'The merchant the path names does not exist.',
    extensions: ['merchantId'],
    create: (merchantId: string) => ({ detail: `There is no merchant ${merchantId}.`, extensions: { merchantId } }),
  },
  warehouseNotFound: {
    slug: 'warehouse-not-found',
    status: 404,
    title: 'Unknown warehouse',
    description: 'The warehouse the path names does not exist.',
    extensions: ['warehouseId'],
    create: (warehouseId: string) => ({ detail: `There is no warehouse ${warehouseId}.`, extensions: { warehouseId } }),
  },
  skuNotFound: {
    slug: 'sku-not-found',
    status: 404,
    title: 'Unknown SKU',
    description: 'The SKU the path names does not exist.',
    extensions: ['skuId'],
    create: (skuId: string) => ({ detail: `There is no SKU ${skuId}.`, extensions: { skuId } }),
  },
  unknownMerchant: {
    slug: 'unknown-merchant',
    status: 422,
    title: 'Unknown merchant',
    description: 'The body names a merchant that does not exist.',
    extensions: ['merchantId'],
    create: (merchantId: string) => ({ detail: `There is no merchant ${merchantId}; create it first.`, extensions: { merchantId } }),
  },
  warehouseNeedsMerchant: {
    slug: 'warehouse-needs-merchant',
    status: 422,
    title: 'Drop-ship warehouse needs a merchant',
    description: 'A DROP_SHIP warehouse was saved without the merchant who ships from it.',
    create: (warehouseId: string) => ({
      detail: `Warehouse ${warehouseId} is DROP_SHIP: the merchant who ships from it must be given.`,
    }),
  },
  warehouseStockIncompatible: {
    slug: 'warehouse-stock-incompatible',
    status: 422,
    title: 'Warehouse holds stock that would no longer fit',
    description: 'The change would leave stock in the warehouse that may no longer be there.',
    extensions: ['warehouseId'],
    create: (warehouseId: string, conflicts: string[]) => ({ detail: conflicts.slice(0, 5).join('; '), extensions: { warehouseId } }),
  },
  skuMerchantImmutable: {
    slug: 'sku-merchant-immutable',
    status: 422,
    title: 'A SKU cannot change merchant',
    description: 'A SKU was saved with another merchant than the one selling it.',
    extensions: ['skuId'],
    create: (skuId: string, merchantId: string, wantedMerchantId: string) => ({
      detail: `SKU ${skuId} is sold by ${merchantId}; create a new SKU for ${wantedMerchantId}.`,
      extensions: { skuId },
    }),
  },
  skuStockIncompatible: {
    slug: 'sku-stock-incompatible',
    status: 422,
    title: 'SKU has stock where it could no longer ship from',
    description: 'The change would leave stock of the SKU in warehouses it could no longer ship from.',
    extensions: ['skuId'],
    create: (skuId: string, conflicts: string[]) => ({ detail: conflicts.slice(0, 5).join('; '), extensions: { skuId } }),
  },
});
