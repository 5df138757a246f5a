import { apportion, includedTax } from '@mallard/money';
import type { InvoiceLineFigures } from './invoice-figures.js';

/** One line of a refund, as its breakdown gives it (after-sales' line by line, orders' compensations). */
export interface RefundedLine {
  lineId: string;
  quantity: number;
  /** What the units paid for their goods. */
  paidMinor: number;
  /** A benefit the kept goods lost, taken out of this refund. */
  clawbackMinor: number;
  /** A clawback of an earlier refund given back with this one. */
  releasedMinor: number;
  shippingMinor: number;
  /** paid − clawback + released + shipping. */
  refundedMinor: number;
}

/** One line of a credit note: the refund's line with the invoice's words, every amount negative. */
export interface CreditNoteLineFigures {
  lineId: string;
  skuId: string;
  name: string;
  quantity: number;
  paidMinor: number;
  clawbackMinor: number;
  releasedMinor: number;
  shippingMinor: number;
  /** −refunded: what the note takes off the invoice. */
  amountMinor: number;
  taxRateBasisPoints: number;
  /** The tax inside `amountMinor`, negative too. */
  taxMinor: number;
}

export interface CreditNoteFigures {
  lines: CreditNoteLineFigures[];
  /** −(the refund's amount). */
  totalMinor: number;
  taxMinor: number;
  taxByRate: { rateBasisPoints: number; grossMinor: number; taxMinor: number }[];
}

/**
 * The credit note of one refund against the invoice it corrects (docs/domain.md §2, "Credit
 * notes"): its lines are exactly the refund's line-by-line breakdown, clawback and release
 * included, each with the invoice line's SKU, name and tax rate; its total is minus the refund's
 * amount, so that an order's invoices less its credit notes are what it paid less what was
 * refunded, to the cent. Tax follows the invoices' rule, on the refunded amounts.
 */
export function creditNoteFigures(invoiceLines: readonly InvoiceLineFigures[], refunded: readonly RefundedLine[]): CreditNoteFigures {
  const invoiced = new Map(invoiceLines.map((line) => [line.lineId, line]));
  const lines = refunded.map((line) => {
    const on = invoiced.get(line.lineId);
    if (!on) throw new RangeError(`line ${line.lineId} is not on the invoice`);
    const figures = [line.quantity, line.paidMinor, line.clawbackMinor, line.releasedMinor, line.shippingMinor, line.refundedMinor];
    if (!figures.every((figure) => Number.isSafeInteger(figure) && figure >= 0) || line.quantity > on.quantity) {
      throw new RangeError(`line ${line.lineId}: a refund's figures are whole, not negative, and within the invoiced units`);
    }
    if (line.paidMinor - line.clawbackMinor + line.releasedMinor + line.shippingMinor !== line.refundedMinor) {
      throw new RangeError(`line ${line.lineId}: paid − clawback + released + shipping must be what was refunded`);
    }
    return { line, on };
  });
  const tax = includedTax(lines.map(({ line, on }) => ({ grossMinor: line.refundedMinor, rateBasisPoints: on.taxRateBasisPoints })));
  return {
    lines: lines.map(({ line, on }, index) => ({
      lineId: line.lineId,
      skuId: on.skuId,
      name: on.name,
      quantity: line.quantity,
      paidMinor: line.paidMinor,
      clawbackMinor: line.clawbackMinor,
      releasedMinor: line.releasedMinor,
      shippingMinor: line.shippingMinor,
      amountMinor: negated(line.refundedMinor),
      taxRateBasisPoints: on.taxRateBasisPoints,
      taxMinor: negated(tax.taxes[index]),
    })),
    totalMinor: negated(lines.reduce((sum, { line }) => sum + line.refundedMinor, 0)),
    taxMinor: negated(tax.totalTaxMinor),
    taxByRate: tax.byRate.map((rate) => ({ ...rate, grossMinor: negated(rate.grossMinor), taxMinor: negated(rate.taxMinor) })),
  };
}

/**
 * A sub-order's shipping fee refunded on its own (orders' compensations give it apart from the
 * units), spread over the invoice's lines by the shipping shares they were invoiced with, so the
 * credit note says which lines' shipping it gives back; leftover cents by largest remainder.
 */
export function feeByLine(invoiceLines: readonly InvoiceLineFigures[], feeMinor: number): { lineId: string; shippingMinor: number }[] {
  const shares = apportion(
    feeMinor,
    invoiceLines.map((line) => line.shippingMinor),
  );
  return invoiceLines
    .map((line, index) => ({ lineId: line.lineId, shippingMinor: shares[index] }))
    .filter((line) => line.shippingMinor > 0);
}

/** Minus an amount, never JavaScript's −0 (a credit of nothing is 0). */
function negated(amountMinor: number): number {
  return amountMinor === 0 ? 0 : -amountMinor;
}
