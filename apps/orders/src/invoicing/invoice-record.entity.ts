import type { CreditNoteReason, InvoiceKind } from '@mallard/contracts';
import { CountColumn, MoneyColumn } from '@mallard/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CreditNoteLineFigures } from './credit-note-figures.js';
import type { BilledParty } from './invoice-document.js';
import type { InvoiceLineFigures } from './invoice-figures.js';

/**
 * An issued invoice or credit note, as it was issued: never changed after, but for `replacedBy`
 * when staff reissue an invoice. Its number is taken from its issuer's counter in the transaction
 * that writes it (invoice-numbers.ts).
 */
@Entity('invoice_document')
export class InvoiceRecord {
  @PrimaryColumn('text') number: string;
  @Column('text', { name: 'issuer_id' }) issuerId: string;
  @CountColumn() sequence: number;
  @Column('text') kind: InvoiceKind;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'sub_order_id' }) subOrderId: string;
  @Column('text', { name: 'merchant_id' }) merchantId: string;
  /** A credit note: the invoice it corrects. */
  @Column('text', { nullable: true }) corrects: string | null;
  @Column('text', { nullable: true }) reason: CreditNoteReason | null;
  /** A credit note of a refund: the refund's id at payments. */
  @Column('text', { name: 'refund_id', nullable: true }) refundId: string | null;
  /** An invoice staff reissued: the invoice in force now. */
  @Column('text', { name: 'replaced_by', nullable: true }) replacedBy: string | null;
  @Column('char', { length: 3 }) currency: string;
  @MoneyColumn({ name: 'total_minor' }) totalMinor: number;
  @MoneyColumn({ name: 'tax_minor' }) taxMinor: number;
  @Column('jsonb', { name: 'billed_to' }) billedTo: BilledParty;
  /** InvoiceLineFigures of an invoice, CreditNoteLineFigures of a credit note. */
  @Column('jsonb') lines: InvoiceLineFigures[] | CreditNoteLineFigures[];
  @Column('jsonb', { name: 'tax_by_rate' }) taxByRate: { rateBasisPoints: number; grossMinor: number; taxMinor: number }[];
  @Column('timestamptz', { name: 'issued_at' }) issuedAt: Date;
  /** `system` (a delivery, a refund), `shopper`, or the staff member's id. */
  @Column('text', { name: 'issued_by' }) issuedBy: string;
}
