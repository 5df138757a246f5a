import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing details, a row per order that has them, apart from the order row: the hot placement
 * path writes none for most orders, and their own version and lock belong to them, not to the
 * order. `locked_at` stays null until invoices exist: the first invoice will set it, under the
 * order's row lock, and from then on the details are kept as invoiced. Pods of the previous
 * release neither write nor read the table.
 */
export class OrderBilling1764061000009 implements MigrationInterface {
  name = 'OrderBilling1764061000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_billing (
        order_id uuid PRIMARY KEY REFERENCES parent_order (id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('PERSONAL', 'COMPANY')),
        title text NOT NULL,
        tax_id text,
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        email text NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        updated_at timestamptz NOT NULL,
        locked_at timestamptz,
        CHECK (type <> 'COMPANY' OR tax_id IS NOT NULL)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE order_billing');
  }
}
