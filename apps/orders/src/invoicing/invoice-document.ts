import type { BillingType, CreditNoteReason } from '@mallard/contracts';
import type { CreditNoteLineFigures } from './credit-note-figures.js';
import type { InvoiceLineFigures } from './invoice-figures.js';

/** Who the document is made out to: the order's billing details as they were when it was issued. */
export interface BilledParty {
  type: BillingType;
  title: string;
  taxId: string | null;
  country: string;
  email: string;
}

interface IssuedDocument {
  /** `<issuer>-<sequence, 8 digits>`: gap-free per issuer, invoices and credit notes alike. */
  number: string;
  /** Who issues it: the merchant, or the issuer the merchant is configured to invoice through. */
  issuerId: string;
  merchantId: string;
  orderId: string;
  subOrderId: string;
  currency: string;
  issuedAt: Date;
  billedTo: BilledParty;
  /** Minor units; negative on a credit note. */
  totalMinor: number;
  taxMinor: number;
  taxByRate: { rateBasisPoints: number; grossMinor: number; taxMinor: number }[];
}

export interface InvoiceDocument extends IssuedDocument {
  kind: 'INVOICE';
  lines: InvoiceLineFigures[];
}

export interface CreditNoteDocument extends IssuedDocument {
  kind: 'CREDIT_NOTE';
  /** The number of the invoice it corrects. */
  corrects: string;
  /** Why: the refund it follows, or the invoice's replacement (reissue). */
  reason: CreditNoteReason;
  lines: CreditNoteLineFigures[];
}

export type IssuedInvoiceDocument = InvoiceDocument | CreditNoteDocument;
