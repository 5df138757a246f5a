import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tax rates in basis points (prices are tax-inclusive): a merchant's default and a SKU's own.
 * Null inherits (the SKU its merchant's, the merchant the service's setting), so rows written
 * before stay valid and follow the defaults.
 */
export class InventoryTaxRates1764200000008 implements MigrationInterface {
  name = 'InventoryTaxRates1764200000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE merchant ADD COLUMN default_tax_rate_basis_points integer
        CONSTRAINT merchant_default_tax_rate_range CHECK (default_tax_rate_basis_points BETWEEN 0 AND 10000)`);
    await queryRunner.query(`
      ALTER TABLE sku ADD COLUMN tax_rate_basis_points integer
        CONSTRAINT sku_tax_rate_range CHECK (tax_rate_basis_points BETWEEN 0 AND 10000)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sku DROP COLUMN tax_rate_basis_points');
    await queryRunner.query('ALTER TABLE merchant DROP COLUMN default_tax_rate_basis_points');
  }
}
