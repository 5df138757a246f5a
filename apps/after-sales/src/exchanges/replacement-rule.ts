/*
 * What an exchange may send (docs/domain.md §8): the same SKU, or a variant of the same merchant,
 * on the shelf, in the same currency, whose price is the unit price the shopper paid for the line
 * before any discount. A replacement at another price is refused: the shopper returns the goods and
 * orders the other SKU, so no money changes hands in an exchange.
 */

export interface ReplacementAsked {
  lineId: string;
  skuId: string;
  /** The line's unit price at purchase. */
  unitPriceMinor: number;
  replacementSkuId?: string | null;
}

export interface CatalogSku {
  merchantId: string;
  priceMinor: number;
  currency: string;
  onShelf: boolean;
}

export type ReplacementRefusal = {
  reason: 'UNKNOWN_SKU' | 'OTHER_MERCHANT' | 'OFF_SHELF' | 'PRICE_DIFFERS';
  skuId: string;
  detail: string;
  priceMinor?: number;
  paidUnitPriceMinor?: number;
};

export function judgeReplacements(
  lines: readonly ReplacementAsked[],
  merchantId: string,
  currency: string,
  catalog: ReadonlyMap<string, CatalogSku>,
): ReplacementRefusal | null {
  for (const line of lines) {
    const skuId = line.replacementSkuId;
    if (!skuId || skuId === line.skuId) continue;
    const sku = catalog.get(skuId);
    if (!sku) return { reason: 'UNKNOWN_SKU', skuId, detail: `no SKU ${skuId} in the catalog` };
    if (sku.merchantId !== merchantId) return { reason: 'OTHER_MERCHANT', skuId, detail: `${skuId} is not sold by ${merchantId}` };
    if (!sku.onShelf) return { reason: 'OFF_SHELF', skuId, detail: `${skuId} is off the shelf` };
    if (sku.currency !== currency || sku.priceMinor !== line.unitPriceMinor) {
      return {
        reason: 'PRICE_DIFFERS',
        skuId,
        detail: `${skuId} costs ${sku.priceMinor} ${sku.currency}, ${line.skuId} was bought at ${line.unitPriceMinor} ${currency}: an exchange sends goods of the same price; return these and order ${skuId} instead`,
        priceMinor: sku.priceMinor,
        paidUnitPriceMinor: line.unitPriceMinor,
      };
    }
  }
  return null;
}
