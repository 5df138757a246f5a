import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SKUs marked scarce, by id: the admins' flash-sale list pages through them, which without
 * this would read the whole catalog for a handful of rows.
 */
export class InventoryFlashSaleSkus1764200000009 implements MigrationInterface {
  name = 'InventoryFlashSaleSkus1764200000009';
  // Built CONCURRENTLY, so the catalog and the sale go on meanwhile; that cannot run in a transaction.
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build cut short leaves an invalid index of that name behind: start again from nothing.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS sku_scarce');
    await queryRunner.query('CREATE INDEX CONCURRENTLY sku_scarce ON sku (id) WHERE scarce');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Not CONCURRENTLY: TypeORM reverts a migration inside a transaction whatever its `transaction` flag.
    await queryRunner.query('DROP INDEX IF EXISTS sku_scarce');
  }
}
