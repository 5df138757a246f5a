import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices and credit notes (docs/domain.md §2, "Invoices"), the counters that number them
 * without gaps, the refunds payments made (what credit notes follow) and the parcels delivered
 * (what issues a sub-order's invoice).
 *
 * A number is taken from `invoice_sequence` in the transaction that writes its document, so a
 * rollback gives it back and a crash leaves no hole; (issuer, sequence) is unique besides.
 */
export class Invoices1764061000011 implements MigrationInterface {
  name = 'Invoices1764061000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE invoice_sequence (
        issuer_id text PRIMARY KEY,
        last_number bigint NOT NULL CHECK (last_number > 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE invoice_document (
        number text PRIMARY KEY,
        issuer_id text NOT NULL,
        sequence bigint NOT NULL,
        kind text NOT NULL CHECK (kind IN ('INVOICE', 'CREDIT_NOTE')),
        order_id uuid NOT NULL,
        sub_order_id uuid NOT NULL,
        merchant_id text NOT NULL,
        corrects text REFERENCES invoice_document (number),
        reason text CHECK (reason IN ('REFUND', 'REISSUE')),
        refund_id text,
        replaced_by text REFERENCES invoice_document (number) DEFERRABLE INITIALLY DEFERRED,
        currency char(3) NOT NULL,
        total_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        billed_to jsonb NOT NULL,
        lines jsonb NOT NULL,
        tax_by_rate jsonb NOT NULL,
        issued_at timestamptz NOT NULL,
        issued_by text NOT NULL,
        UNIQUE (issuer_id, sequence),
        CHECK ((kind = 'INVOICE') = (corrects IS NULL) AND (kind = 'INVOICE') = (reason IS NULL)),
        CHECK ((reason = 'REFUND') = (refund_id IS NOT NULL)),
        CHECK (kind = 'INVOICE' OR replaced_by IS NULL)
      )`);
    await queryRunner.query('CREATE INDEX invoice_document_order ON invoice_document (order_id, issued_at)');
    // One invoice in force per sub-order; a reissue replaces it.
    await queryRunner.query(
      `CREATE UNIQUE INDEX invoice_document_in_force ON invoice_document (sub_order_id) WHERE kind = 'INVOICE' AND replaced_by IS NULL`,
    );
    // One credit note per refund and sub-order, however often the refund's news arrives.
    await queryRunner.query(
      `CREATE UNIQUE INDEX invoice_document_refund_credit ON invoice_document (refund_id, sub_order_id) WHERE reason = 'REFUND'`,
    );
    await queryRunner.query(`
      CREATE TABLE settled_refund (
        refund_id text PRIMARY KEY,
        order_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('COMPENSATION', 'AFTER_SALES', 'STAFF')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        spread jsonb,
        succeeded_at timestamptz NOT NULL,
        CHECK (kind = 'STAFF' OR spread IS NULL)
      )`);
    await queryRunner.query('CREATE INDEX settled_refund_order ON settled_refund (order_id)');
    await queryRunner.query(`
      CREATE TABLE delivered_parcel (
        parcel_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        sub_order_id uuid NOT NULL,
        lines jsonb NOT NULL,
        delivered_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX delivered_parcel_sub_order ON delivered_parcel (sub_order_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE delivered_parcel');
    await queryRunner.query('DROP TABLE settled_refund');
    await queryRunner.query('DROP TABLE invoice_document');
    await queryRunner.query('DROP TABLE invoice_sequence');
  }
}
