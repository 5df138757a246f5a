import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What inventory answered to each exchange's replacement, once per after-sales request: a request
 * that came again (as a new event) is answered by this row, never decided a second time, even when
 * stock arrived since it was found unavailable.
 */
export class InventoryReplacements1764200000007 implements MigrationInterface {
  name = 'InventoryReplacements1764200000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE replacement (
        request_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        replacement_sub_order_id uuid NOT NULL,
        merchant_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('DEDUCTED', 'UNAVAILABLE')),
        warehouse_id text REFERENCES warehouse (id),
        unavailable_sku_ids text[],
        decided_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT replacement_outcome_shape CHECK (
             (outcome = 'DEDUCTED' AND warehouse_id IS NOT NULL AND unavailable_sku_ids IS NULL)
          OR (outcome = 'UNAVAILABLE' AND warehouse_id IS NULL AND cardinality(unavailable_sku_ids) > 0)
        )
      )`);
    await queryRunner.query('CREATE INDEX replacement_order ON replacement (order_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE replacement');
  }
}
