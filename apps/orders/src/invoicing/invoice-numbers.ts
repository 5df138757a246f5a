import { rowsOf } from '@mallard/platform';
import type { EntityManager } from 'typeorm';

/** `<issuer>-<sequence>`, the sequence zero-padded to 8 digits so numbers sort as they were issued. */
export function invoiceNumber(issuerId: string, sequence: number): string {
  return `${issuerId}-${String(sequence).padStart(8, '0')}`;
}

/**
 * The issuer's next number, taken in the caller's transaction (docs/domain.md §2, "Invoice
 * numbers"): the counter row stays locked until that transaction ends, so a second issuance of the
 * same issuer waits for it, and a rollback gives the number back. Gap-free by construction, across
 * restarts too: no number exists outside the transaction that writes its document. Lock order:
 * the counter is the last lock an issuance takes, after the order's row and its billing details.
 */
export async function takeInvoiceNumber(manager: EntityManager, issuerId: string): Promise<{ number: string; sequence: number }> {
  const [row] = rowsOf<{ last_number: string }>(
    await manager.query(
      `INSERT INTO invoice_sequence (issuer_id, last_number) VALUES ($1, 1)
       ON CONFLICT (issuer_id) DO UPDATE SET last_number = invoice_sequence.last_number + 1
       RETURNING last_number`,
      [issuerId],
    ),
  );
  const sequence = Number(row.last_number);
  return { number: invoiceNumber(issuerId, sequence), sequence };
}
