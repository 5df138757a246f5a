/**
 * Where an exchange's replacement leaves from. Pure: no Nest, no TypeORM; the service locks the
 * levels, reads the SKUs and warehouses and applies the plan.
 *
 * Rules:
 * 1. Every unit comes from ONE warehouse (the replacement is one sub-order, one parcel trail),
 *    chosen as the allocator chooses a warehouse for a whole order (allocate.ts, rule 2): the
 *    first that has every SKU's whole demand in sellable stock (on hand less held), the warehouses
 *    the exchanged lines were shipped from first, then by id.
 * 2. Only the merchant's goods: a SKU inventory does not know, or one another merchant sells, is
 *    unavailable. Its warehouses are the merchant's own and the mall's (merchant-less ones), the
 *    ones the stocking rules (catalog.rules.ts) let its SKUs lie in.
 * 3. All or nothing: without such a warehouse nothing is deducted, and the SKUs short are named:
 *    those unknown or foreign, and those no single warehouse has enough of; when each SKU fits
 *    somewhere but no warehouse has them together, all of them.
 * Whether the SKU is on the shelf does not matter: the shopper bought it already (as order.paid
 * deducts what was paid).
 */
import { oneWarehouseFor } from '../allocation/allocate.js';
import { available } from '../stock/movement-rules.js';

export interface ReplacementRequestLine {
  lineId: string;
  skuId: string;
  quantity: number;
}

export interface ReplacementSkuFacts {
  merchantId: string;
  name: string;
}

export interface ReplacementLevel {
  skuId: string;
  warehouseId: string;
  onHand: number;
  held: number;
}

export interface ReplacementWarehouse {
  merchantId: string | null;
}

export type ReplacementPlan =
  | {
      ok: true;
      warehouseId: string;
      /** The request's lines, each with its SKU's name. */
      lines: { lineId: string; skuId: string; skuName: string; quantity: number }[];
      /** One deduction per SKU, in SKU id order. */
      deductions: { skuId: string; quantity: number }[];
    }
  | { ok: false; skuIds: string[] };

export function planReplacement(
  request: { merchantId: string; lines: readonly ReplacementRequestLine[] },
  skus: ReadonlyMap<string, ReplacementSkuFacts>,
  levels: readonly ReplacementLevel[],
  warehouses: ReadonlyMap<string, ReplacementWarehouse>,
  preferredWarehouseIds: readonly string[] = [],
): ReplacementPlan {
  const skuIdsInLineOrder = [...new Set(request.lines.map((line) => line.skuId))];
  const foreign = skuIdsInLineOrder.filter((skuId) => skus.get(skuId)?.merchantId !== request.merchantId);
  const mayServe = (warehouseId: string): boolean => {
    const warehouse = warehouses.get(warehouseId);
    return warehouse !== undefined && (warehouse.merchantId === null || warehouse.merchantId === request.merchantId);
  };
  const stock = levels
    .filter((level) => mayServe(level.warehouseId))
    .map((level) => ({ skuId: level.skuId, warehouseId: level.warehouseId, available: Math.max(0, available(level)) }));

  const warehouseId = foreign.length === 0 ? oneWarehouseFor(request.lines, stock, { preferredWarehouseIds }) : undefined;
  if (warehouseId !== undefined) {
    const demand = new Map<string, number>();
    for (const line of request.lines) demand.set(line.skuId, (demand.get(line.skuId) ?? 0) + line.quantity);
    return {
      ok: true,
      warehouseId,
      lines: request.lines.map((line) => ({ ...line, skuName: skus.get(line.skuId)!.name })),
      deductions: [...demand]
        .map(([skuId, quantity]) => ({ skuId, quantity }))
        .sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0)),
    };
  }

  const bestSingle = (skuId: string): number =>
    Math.max(0, ...stock.filter((entry) => entry.skuId === skuId).map((entry) => entry.available));
  const demandOf = (skuId: string): number =>
    request.lines.filter((line) => line.skuId === skuId).reduce((units, line) => units + line.quantity, 0);
  const short = skuIdsInLineOrder.filter((skuId) => foreign.includes(skuId) || bestSingle(skuId) < demandOf(skuId));
  return { ok: false, skuIds: short.length > 0 ? short : skuIdsInLineOrder };
}
