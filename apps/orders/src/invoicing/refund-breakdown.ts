import { apportion } from '@mallard/money';
import type { RefundedLine } from './credit-note-figures.js';
import { feeByLine } from './credit-note-figures.js';
import type { InvoiceLineFigures } from './invoice-figures.js';

/** A unit line of a compensation row, with after-sales' own breakdown when it has one. */
export interface GivenBackLine {
  lineId: string;
  quantity: number;
  /** What the units paid for their goods. */
  amount: number;
  /** After-sales' line, as it asked payments for it (docs/domain.md §8). */
  refund?: { clawbackMinor: number; releasedMinor: number; shippingMinor: number; refundedMinor: number };
}

/** What one compensation row gave back of one sub-order: its units, the fee, and the money asked for. */
export interface GivenBack {
  lines: readonly GivenBackLine[];
  shippingFeeRefunded: number;
  refundAmount: number;
}

/**
 * A refund's lines against the invoice of the sub-order it gave back (docs/domain.md §2, "Credit
 * notes"). After-sales' lines carry their own clawback, release and shipping; orders' compensations
 * (a stopped sub-order, a refused parcel) gave the goods' paid amounts and the fee apart, the fee
 * spread over the invoice's lines by their shipping shares. Lines of one order line are merged.
 */
export function refundedLines(invoiceLines: readonly InvoiceLineFigures[], given: GivenBack): RefundedLine[] {
  const merged = new Map<string, RefundedLine>();
  const add = (lineId: string, part: Omit<RefundedLine, 'lineId'>) => {
    const line = merged.get(lineId) ?? {
      lineId,
      quantity: 0,
      paidMinor: 0,
      clawbackMinor: 0,
      releasedMinor: 0,
      shippingMinor: 0,
      refundedMinor: 0,
    };
    merged.set(lineId, {
      lineId,
      quantity: line.quantity + part.quantity,
      paidMinor: line.paidMinor + part.paidMinor,
      clawbackMinor: line.clawbackMinor + part.clawbackMinor,
      releasedMinor: line.releasedMinor + part.releasedMinor,
      shippingMinor: line.shippingMinor + part.shippingMinor,
      refundedMinor: line.refundedMinor + part.refundedMinor,
    });
  };
  const detailed = given.lines.length > 0 && given.lines.every((line) => line.refund !== undefined);
  for (const line of given.lines) {
    const refund = detailed ? line.refund! : { clawbackMinor: 0, releasedMinor: 0, shippingMinor: 0, refundedMinor: line.amount };
    add(line.lineId, { quantity: line.quantity, paidMinor: line.amount, ...refund });
  }
  if (!detailed) {
    for (const share of feeByLine(invoiceLines, given.shippingFeeRefunded)) {
      add(share.lineId, {
        quantity: 0,
        paidMinor: 0,
        clawbackMinor: 0,
        releasedMinor: 0,
        shippingMinor: share.shippingMinor,
        refundedMinor: share.shippingMinor,
      });
    }
  }
  const lines = [...merged.values()];
  // A row kept before after-sales' lines were (orders recorded only units, amounts and the fee):
  // what the shopper got differs from goods + fee by the clawback or release after-sales applied.
  // The note must be the refund, so the difference is shown as such on its largest line.
  const off = lines.reduce((sum, line) => sum + line.refundedMinor, 0) - given.refundAmount;
  if (!detailed && off !== 0 && lines.length > 0) {
    const largest = lines.reduce((best, line) => (line.paidMinor > best.paidMinor ? line : best));
    if (off < 0) {
      largest.releasedMinor -= off;
      largest.refundedMinor -= off;
    } else if (off <= largest.paidMinor - largest.clawbackMinor) {
      largest.clawbackMinor += off;
      largest.refundedMinor -= off;
    }
  }
  return lines;
}

/** A sub-order as a staff refund may be spread over it: what is left of what it paid, line by line. */
export interface SpreadableSubOrder {
  subOrderId: string;
  /** Each order line's piece: what it paid (goods and shipping share) less what was given back of it. */
  pieces: { lineId: string; remainingMinor: number }[];
}

export interface SpreadSlice {
  subOrderId: string;
  lines: { lineId: string; amountMinor: number }[];
}

/**
 * A staff refund names an amount, not units (docs/domain.md §2, "Credit notes"): it is spread over
 * the order's pieces by what each has left to give back, largest remainder, so no piece is credited
 * more than it still has; beyond what is left (payments allows up to what was captured), the rest
 * is spread evenly over the pieces. Deterministic, so it is worked out once, when
 * the refund is settled, and kept.
 */
export function spreadStaffRefund(amountMinor: number, subOrders: readonly SpreadableSubOrder[]): SpreadSlice[] {
  const pieces = subOrders.flatMap((subOrder) => subOrder.pieces.map((piece) => ({ subOrderId: subOrder.subOrderId, ...piece })));
  if (pieces.length === 0) return [];
  const remaining = pieces.map((piece) => Math.max(0, piece.remainingMinor));
  const left = remaining.reduce((sum, amount) => sum + amount, 0);
  const within = Math.min(amountMinor, left);
  const shares = left > 0 ? apportion(within, remaining) : remaining.map(() => 0);
  const beyond = amountMinor - within;
  if (beyond > 0) {
    const extra = apportion(
      beyond,
      pieces.map(() => 1),
    );
    extra.forEach((amount, index) => {
      shares[index] += amount;
    });
  }
  const slices = new Map<string, SpreadSlice>();
  pieces.forEach((piece, index) => {
    if (shares[index] === 0) return;
    const slice = slices.get(piece.subOrderId) ?? { subOrderId: piece.subOrderId, lines: [] };
    slice.lines.push({ lineId: piece.lineId, amountMinor: shares[index] });
    slices.set(piece.subOrderId, slice);
  });
  return [...slices.values()];
}

/** A staff refund's slice of one sub-order as credit-note lines: an amount given back without units. */
export function staffRefundLines(slice: SpreadSlice): RefundedLine[] {
  return slice.lines.map((line) => ({
    lineId: line.lineId,
    quantity: 0,
    paidMinor: line.amountMinor,
    clawbackMinor: 0,
    releasedMinor: 0,
    shippingMinor: 0,
    refundedMinor: line.amountMinor,
  }));
}
