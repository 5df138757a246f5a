import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tax rate of each SKU as inventory publishes it, and of each line as it was when the order
 * was placed: an invoice states the rate the goods were sold at, whatever the catalog says later.
 * Null: not known (a SKU published before rates were kept, a line placed before).
 */
export class LineTaxRates1764061000010 implements MigrationInterface {
  name = 'LineTaxRates1764061000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE catalog_sku ADD COLUMN tax_rate_bp int CHECK (tax_rate_bp BETWEEN 0 AND 10000)');
    await queryRunner.query('ALTER TABLE order_line ADD COLUMN tax_rate_bp int CHECK (tax_rate_bp BETWEEN 0 AND 10000)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE order_line DROP COLUMN tax_rate_bp');
    await queryRunner.query('ALTER TABLE catalog_sku DROP COLUMN tax_rate_bp');
  }
}
