import type { InvoiceResponse, InvoiceSummaryResponse } from '@mallard/contracts';
import type { CreditNoteLineFigures } from './credit-note-figures.js';
import type { IssuedInvoiceDocument } from './invoice-document.js';
import type { InvoiceLineFigures } from './invoice-figures.js';
import type { InvoiceRecord } from './invoice-record.entity.js';

/** A document without its lines, as an order's view lists it (InvoiceSummaryResponse). */
export function toInvoiceSummary(record: InvoiceRecord): InvoiceSummaryResponse {
  return {
    number: record.number,
    kind: record.kind,
    subOrderId: record.subOrderId,
    merchantId: record.merchantId,
    issuerId: record.issuerId,
    currency: record.currency,
    totalMinor: record.totalMinor,
    taxMinor: record.taxMinor,
    issuedAt: record.issuedAt.toISOString(),
    ...(record.corrects ? { corrects: record.corrects } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.refundId ? { refundId: record.refundId } : {}),
    ...(record.replacedBy ? { replacedBy: record.replacedBy } : {}),
  };
}

/** A document with its lines (InvoiceResponse): an invoice's in `lines`, a credit note's in `creditLines`. */
export function toInvoiceView(record: InvoiceRecord): InvoiceResponse {
  return {
    ...toInvoiceSummary(record),
    orderId: record.orderId,
    billedTo: record.billedTo,
    lines: record.kind === 'INVOICE' ? (record.lines as InvoiceLineFigures[]) : [],
    creditLines: record.kind === 'CREDIT_NOTE' ? (record.lines as CreditNoteLineFigures[]) : [],
    taxByRate: record.taxByRate,
  };
}

/** The document as issued, for rendering (invoice-pdf.ts). */
export function toIssuedDocument(record: InvoiceRecord): IssuedInvoiceDocument {
  const common = {
    number: record.number,
    issuerId: record.issuerId,
    merchantId: record.merchantId,
    orderId: record.orderId,
    subOrderId: record.subOrderId,
    currency: record.currency,
    issuedAt: record.issuedAt,
    billedTo: record.billedTo,
    totalMinor: record.totalMinor,
    taxMinor: record.taxMinor,
    taxByRate: record.taxByRate,
  };
  return record.kind === 'INVOICE'
    ? { ...common, kind: 'INVOICE', lines: record.lines as InvoiceLineFigures[] }
    : {
        ...common,
        kind: 'CREDIT_NOTE',
        corrects: record.corrects!,
        reason: record.reason!,
        lines: record.lines as CreditNoteLineFigures[],
      };
}
