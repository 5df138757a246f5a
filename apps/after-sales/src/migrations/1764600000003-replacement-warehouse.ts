import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The warehouse an exchange's replacement ships from, as logistics tells it: where its units go back to. */
export class ReplacementWarehouse1764600000003 implements MigrationInterface {
  name = 'ReplacementWarehouse1764600000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE after_sales_request ADD COLUMN replacement_warehouse_id text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE after_sales_request DROP COLUMN replacement_warehouse_id');
  }
}
