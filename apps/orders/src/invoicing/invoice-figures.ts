import { apportion, includedTax } from '@mallard/money';

/** An order line as orders keeps it after the split (docs/domain.md §2, "What each line remembers"). */
export interface InvoiceableLine {
  lineId: string;
  skuId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  itemDiscountMinor: number;
  orderDiscountShareMinor: number;
  /** Basis points, included in the price. */
  taxRateBasisPoints: number;
}

/** The part of a line one sub-order carries, as the split cut it. */
export interface InvoiceablePiece {
  lineId: string;
  quantity: number;
  /** What the units paid for their goods: their gross less their discounts. */
  merchandiseMinor: number;
  shippingFeeShareMinor: number;
}

export interface InvoiceableSubOrder {
  subOrderId: string;
  pieces: InvoiceablePiece[];
}

/** One line of an invoice: a piece of an order line, with every figure a shopper is shown. */
export interface InvoiceLineFigures {
  lineId: string;
  skuId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  /** unitPrice × quantity. */
  grossMinor: number;
  itemDiscountMinor: number;
  orderDiscountMinor: number;
  shippingMinor: number;
  /** gross − item discount − order discount + shipping: what the units paid. */
  paidMinor: number;
  taxRateBasisPoints: number;
  /** The tax included in `paidMinor` (docs/domain.md §2, "Tax included in prices"). */
  taxMinor: number;
}

export interface InvoiceFigures {
  subOrderId: string;
  lines: InvoiceLineFigures[];
  /** The sub-order's paid amount, to the cent. */
  totalMinor: number;
  taxMinor: number;
  taxByRate: { rateBasisPoints: number; grossMinor: number; taxMinor: number }[];
}

/**
 * The invoice of each sub-order, from the figures orders keeps (docs/domain.md §2, "Invoice figures"):
 *
 * 1. A line carried by one sub-order is invoiced with its own figures. A line the split cut over
 *    several sub-orders is invoiced piece by piece: each piece's gross is unit price × its units;
 *    its discount is its gross less the merchandise the split gave it (so pieces add up to the
 *    line exactly); the line's item discount is apportioned over its pieces by their discounts
 *    (largest remainder), so no piece's item discount exceeds its discount, and the order discount
 *    is the rest. Every piece's figures add up across sub-orders to the line's.
 * 2. A line's paid amount is gross − item discount − order discount + shipping share, and the
 *    invoice's total is the sum of its lines: the sub-order's paid amount, to the cent.
 * 3. Tax is included in the prices, computed once per rate on the invoice and spread back over its
 *    lines (libs/money, includedTax).
 *
 * Pure and deterministic: the same order gives the same figures whenever a sub-order's invoice is
 * issued, whatever the order in which they are.
 */
export function invoiceFigures(lines: readonly InvoiceableLine[], subOrders: readonly InvoiceableSubOrder[]): InvoiceFigures[] {
  const lineOf = new Map(lines.map((line) => [line.lineId, line]));
  const piecesOf = new Map<string, { subOrderId: string; piece: InvoiceablePiece }[]>();
  for (const subOrder of subOrders) {
    for (const piece of subOrder.pieces) {
      const line = lineOf.get(piece.lineId);
      if (!line) throw new RangeError(`sub-order ${subOrder.subOrderId} carries line ${piece.lineId}, which the order does not have`);
      piecesOf.set(piece.lineId, [...(piecesOf.get(piece.lineId) ?? []), { subOrderId: subOrder.subOrderId, piece }]);
    }
  }
  const itemDiscountOf = new Map<string, number>();
  for (const line of lines) {
    const pieces = piecesOf.get(line.lineId) ?? [];
    const units = pieces.reduce((sum, { piece }) => sum + piece.quantity, 0);
    const discount = line.itemDiscountMinor + line.orderDiscountShareMinor;
    const merchandise = pieces.reduce((sum, { piece }) => sum + piece.merchandiseMinor, 0);
    if (units !== line.quantity || line.unitPriceMinor * line.quantity - discount !== merchandise) {
      throw new RangeError(`line ${line.lineId}: its pieces must add up to its units and to what it paid for its goods`);
    }
    const discounts = pieces.map(({ piece }) => line.unitPriceMinor * piece.quantity - piece.merchandiseMinor);
    if (discounts.some((amount) => amount < 0)) throw new RangeError(`line ${line.lineId}: a piece paid more than its gross`);
    const items = apportion(line.itemDiscountMinor, discounts);
    pieces.forEach(({ subOrderId, piece }, index) => {
      itemDiscountOf.set(`${subOrderId}/${piece.lineId}`, items[index]);
    });
  }
  return subOrders.map((subOrder) => {
    const figures = subOrder.pieces.map((piece): Omit<InvoiceLineFigures, 'taxMinor'> => {
      const line = lineOf.get(piece.lineId)!;
      const grossMinor = line.unitPriceMinor * piece.quantity;
      const itemDiscountMinor = itemDiscountOf.get(`${subOrder.subOrderId}/${piece.lineId}`)!;
      return {
        lineId: line.lineId,
        skuId: line.skuId,
        name: line.name,
        quantity: piece.quantity,
        unitPriceMinor: line.unitPriceMinor,
        grossMinor,
        itemDiscountMinor,
        orderDiscountMinor: grossMinor - piece.merchandiseMinor - itemDiscountMinor,
        shippingMinor: piece.shippingFeeShareMinor,
        paidMinor: piece.merchandiseMinor + piece.shippingFeeShareMinor,
        taxRateBasisPoints: line.taxRateBasisPoints,
      };
    });
    const tax = includedTax(figures.map((line) => ({ grossMinor: line.paidMinor, rateBasisPoints: line.taxRateBasisPoints })));
    return {
      subOrderId: subOrder.subOrderId,
      lines: figures.map((line, index) => ({ ...line, taxMinor: tax.taxes[index] })),
      totalMinor: figures.reduce((sum, line) => sum + line.paidMinor, 0),
      taxMinor: tax.totalTaxMinor,
      taxByRate: tax.byRate,
    };
  });
}
