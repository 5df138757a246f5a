import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sub-order may be the replacement of an after-sales exchange: `replacement_for` names the
 * request, at most one sub-order per request, and nothing was paid for it. Nullable, so the
 * previous release's inserts (which do not name it) stay valid during a rolling update.
 */
export class LogisticsReplacementSubOrders1764400000012 implements MigrationInterface {
  name = 'LogisticsReplacementSubOrders1764400000012';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE sub_order ADD COLUMN replacement_for uuid
        CONSTRAINT sub_order_replacement_unpaid CHECK (replacement_for IS NULL OR (shipping_fee = 0 AND paid_amount = 0))`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX sub_order_replacement_for ON sub_order (replacement_for) WHERE replacement_for IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sub_order DROP COLUMN replacement_for');
  }
}
