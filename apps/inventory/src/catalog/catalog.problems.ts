import { ProblemException } from '@mallard/platform';

/** 404 for a resource the path names; the 422s are business refusals of a well-formed request. */
export const catalogProblems = {
  merchantNotFound: (merchantId: string) =>
    new ProblemException({
      status: 404,
      slug: 'merchant-not-found',
      title: 'Unknown merchant',
      detail: `There is no merchant ${merchantId}.`,
      extensions: { merchantId },
    }),
  warehouseNotFound: (warehouseId: string) =>
    new ProblemException({
      status: 404,
      slug: 'warehouse-not-found',
      title: 'Unknown warehouse',
      detail: `There is no warehouse ${warehouseId}.`,
      extensions: { warehouseId },
    }),
  skuNotFound: (skuId: string) =>
    new ProblemException({
      status: 404,
      slug: 'sku-not-found',
      title: 'Unknown SKU',
      detail: `There is no SKU ${skuId}.`,
      extensions: { skuId },
    }),
  unknownMerchant: (merchantId: string) =>
    new ProblemException({
      status: 422,
      slug: 'unknown-merchant',
      title: 'Unknown merchant',
      detail: `There is no merchant ${merchantId}; create it first.`,
      extensions: { merchantId },
    }),
  warehouseNeedsMerchant: (warehouseId: string) =>
    new ProblemException({
      status: 422,
      slug: 'warehouse-needs-merchant',
      title: 'Drop-ship warehouse needs a merchant',
      detail: `Warehouse ${warehouseId} is DROP_SHIP: the merchant who ships from it must be given.`,
    }),
  warehouseStockIncompatible: (warehouseId: string, conflicts: string[]) =>
    new ProblemException({
      status: 422,
      slug: 'warehouse-stock-incompatible',
      title: 'Warehouse holds stock that would no longer fit',
      detail: conflicts.slice(0, 5).join('; '),
      extensions: { warehouseId },
    }),
  skuMerchantImmutable: (skuId: string, merchantId: string, wantedMerchantId: string) =>
    new ProblemException({
      status: 422,
      slug: 'sku-merchant-immutable',
      title: 'A SKU cannot change merchant',
      detail: `SKU ${skuId} is sold by ${merchantId}; create a new SKU for ${wantedMerchantId}.`,
      extensions: { skuId },
    }),
  skuStockIncompatible: (skuId: string, conflicts: string[]) =>
    new ProblemException({
      status: 422,
      slug: 'sku-stock-incompatible',
      title: 'SKU has stock where it could no longer ship from',
      detail: conflicts.slice(0, 5).join('; '),
      extensions: { skuId },
    }),
};
