import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * After-sales requests in the read model, for the shopper's `afterSales` flag: each request at its
 * newest version, and the flag on the order. A column with a default: the previous release's
 * pods, which write no flag, keep working beside this one during a rolling update.
 */
export class GatewayAfterSales1764500000030 implements MigrationInterface {
  name = 'GatewayAfterSales1764500000030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE after_sales_view (
        request_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        state text NOT NULL,
        type text NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX after_sales_view_order ON after_sales_view (order_id)');
    await queryRunner.query('ALTER TABLE order_view ADD COLUMN after_sales_flag boolean NOT NULL DEFAULT false');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE order_view DROP COLUMN after_sales_flag');
    await queryRunner.query('DROP TABLE after_sales_view');
  }
}
