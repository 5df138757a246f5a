/**
 * "Buy again": the lines of an old order checked against today's catalog and stock. No line
 * is dropped silently: each says whether it can be bought as before, and if not, why.
 */
export type ReorderLineStatus = 'OK' | 'OFF_SHELF' | 'INSUFFICIENT_STOCK' | 'PRICE_CHANGED' | 'DISCONTINUED';

export interface PastLine {
  skuId: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface CurrentSku {
  skuId: string;
  name: string;
  priceMinor: number;
  onShelf: boolean;
  available: number;
}

export interface ReorderLine {
  skuId: string;
  name: string;
  quantity: number;
  status: ReorderLineStatus;
  oldUnitPrice: number;
  newUnitPrice: number | null;
  available: number | null;
}

/**
 * The first failing check wins, in the order a shopper cares about: gone, off the shelf,
 * not enough stock, then a price that moved (the line could still be bought, but not at the
 * price the shopper remembers, so it is not placed without them seeing it).
 */
export function buildReorderProposal(pastLines: PastLine[], current: Map<string, CurrentSku>): ReorderLine[] {
  return pastLines.map((line) => {
    const sku = current.get(line.skuId);
    const base = { skuId: line.skuId, name: sku?.name ?? line.name, quantity: line.quantity, oldUnitPrice: line.unitPrice };
    if (!sku) return { ...base, status: 'DISCONTINUED', newUnitPrice: null, available: null };
    const known = { ...base, newUnitPrice: sku.priceMinor, available: sku.available };
    if (!sku.onShelf) return { ...known, status: 'OFF_SHELF' };
    if (sku.available < line.quantity) return { ...known, status: 'INSUFFICIENT_STOCK' };
    if (sku.priceMinor !== line.unitPrice) return { ...known, status: 'PRICE_CHANGED' };
    return { ...known, status: 'OK' };
  });
}
