import type { FulfilmentType, MerchantUpsertedV1, SkuUpsertedV1, StockPolicy } from '@mallard/contracts';

/** Pure catalog rules: no Nest, no TypeORM. */

export interface SkuFacts {
  id: string;
  merchantId: string;
  name: string;
  priceMinor: number;
  currency: string;
  onShelf: boolean;
  fulfilmentType: FulfilmentType;
  stockPolicy: StockPolicy | null;
  scarce: boolean;
  purchaseLimit: number | null;
  /** Basis points; null: the merchant's default. */
  taxRateBasisPoints: number | null;
}

/** What a merchant's SKUs inherit when they choose nothing of their own, resolved. */
export interface MerchantDefaults {
  stockPolicy: StockPolicy;
  taxRateBasisPoints: number;
}

export interface WarehouseFacts {
  id: string;
  merchantId: string | null;
  fulfilmentType: FulfilmentType;
}

export function effectiveStockPolicy(sku: Pick<SkuFacts, 'stockPolicy'>, merchantDefault: StockPolicy): StockPolicy {
  return sku.stockPolicy ?? merchantDefault;
}

/** A merchant's default tax rate, or the service's setting when it keeps none. */
export function merchantDefaultTaxRate(merchant: { defaultTaxRateBasisPoints: number | null }, setting: number): number {
  return merchant.defaultTaxRateBasisPoints ?? setting;
}

/** The SKU's own rate, else its merchant's default (already resolved against the setting). */
export function effectiveTaxRate(sku: Pick<SkuFacts, 'taxRateBasisPoints'>, merchantDefault: number): number {
  return sku.taxRateBasisPoints ?? merchantDefault;
}

/**
 * Why a SKU cannot be stocked in a warehouse, or null when it can. A SKU ships one way (its
 * fulfilment type, which orders splits sub-orders by), so it lives only in warehouses of that
 * type; a merchant's own warehouse holds only that merchant's goods.
 */
export function stockingRefusal(sku: Pick<SkuFacts, 'id' | 'merchantId' | 'fulfilmentType'>, warehouse: WarehouseFacts): string | null {
  if (sku.fulfilmentType !== warehouse.fulfilmentType) {
    return `SKU ${sku.id} is ${sku.fulfilmentType} but warehouse ${warehouse.id} is ${warehouse.fulfilmentType}`;
  }
  if (warehouse.merchantId !== null && warehouse.merchantId !== sku.merchantId) {
    return `warehouse ${warehouse.id} belongs to merchant ${warehouse.merchantId}, not to ${sku.merchantId} who sells SKU ${sku.id}`;
  }
  return null;
}

const SKU_FIELDS = [
  'merchantId',
  'name',
  'priceMinor',
  'currency',
  'onShelf',
  'fulfilmentType',
  'stockPolicy',
  'scarce',
  'purchaseLimit',
  'taxRateBasisPoints',
] as const;

/** The fields that differ; an empty list means the write changes nothing and publishes nothing. */
export function changedSkuFields(before: SkuFacts, after: SkuFacts): string[] {
  return SKU_FIELDS.filter((field) => before[field] !== after[field]);
}

export function skuUpsertedPayload(sku: SkuFacts & { revision: number }, defaults: MerchantDefaults): SkuUpsertedV1 {
  return {
    skuId: sku.id,
    merchantId: sku.merchantId,
    name: sku.name,
    priceMinor: sku.priceMinor,
    currency: sku.currency,
    onShelf: sku.onShelf,
    fulfilmentType: sku.fulfilmentType,
    stockPolicy: effectiveStockPolicy(sku, defaults.stockPolicy),
    scarce: sku.scarce,
    ...(sku.purchaseLimit !== null ? { purchaseLimit: sku.purchaseLimit } : {}),
    taxRateBasisPoints: effectiveTaxRate(sku, defaults.taxRateBasisPoints),
    revision: sku.revision,
  };
}

/** How shoppers reach a merchant's customer service: only the fields it was given. */
export interface CustomerServiceContact {
  phone?: string;
  hours?: string;
  chatUrl?: string;
}

const CONTACT_FIELDS = ['phone', 'hours', 'chatUrl'] as const;

/**
 * The contact as a merchant keeps it: the fields given (null ones dropped), or null when none is,
 * so "no contact" has one spelling whether the body left it out, sent null or sent `{}`.
 */
export function customerServiceOf(
  given: { [field in (typeof CONTACT_FIELDS)[number]]?: string | null } | null | undefined,
): CustomerServiceContact | null {
  if (!given) return null;
  const contact: CustomerServiceContact = {};
  for (const field of CONTACT_FIELDS) {
    const value = given[field];
    if (typeof value === 'string') contact[field] = value;
  }
  return Object.keys(contact).length > 0 ? contact : null;
}

export function sameCustomerService(a: CustomerServiceContact | null, b: CustomerServiceContact | null): boolean {
  return CONTACT_FIELDS.every((field) => (a?.[field] ?? null) === (b?.[field] ?? null));
}

export function merchantUpsertedPayload(merchant: {
  id: string;
  name: string;
  customerService: CustomerServiceContact | null;
  updatedAt: Date;
}): MerchantUpsertedV1 {
  return {
    merchantId: merchant.id,
    name: merchant.name,
    ...(merchant.customerService ? { customerService: { ...merchant.customerService } } : {}),
    changedAt: merchant.updatedAt.toISOString(),
  };
}
