import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rules an order was priced with (the order promotions in force, the coupon's rule, the
 * shipping rule), kept on the order from placement on: the promotion book and the settings change
 * over time, and after-sales re-prices what a shopper keeps with the rules of the purchase
 * (docs/domain.md §8). Nullable: orders placed before this release, or by a pod of the previous
 * release during the rolling update, have none (order.purchase-recorded then says so: no order
 * promotion, no coupon, today's shipping rule).
 */
export class PricingTerms1764061000007 implements MigrationInterface {
  name = 'PricingTerms1764061000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE parent_order ADD COLUMN pricing_terms jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE parent_order DROP COLUMN pricing_terms');
  }
}
