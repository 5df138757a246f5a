import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "My orders" filtered by the shopper's status is answered from the read model alone: a page of
 * one buyer's orders in one status, newest first, read along one index, with what a list item
 * shows beside the status (currency and units; the rest was there already). Rows written before
 * this migration, or by a pod of the previous release during the rollout, have no currency or
 * units: the gateway asks orders for those, one order at a time, until a rebuild fills them.
 */
export class GatewayOrderViewsByStatus1764500000010 implements MigrationInterface {
  name = 'GatewayOrderViewsByStatus1764500000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE order_view ADD COLUMN currency text, ADD COLUMN item_count integer');
    await queryRunner.query(
      'CREATE INDEX order_view_buyer_status_placed ON order_view (buyer_id, shopper_status, placed_at DESC, order_id)',
    );
    // Its columns lead the new index, which serves the per-status counts as well.
    await queryRunner.query('DROP INDEX order_view_buyer_status');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX order_view_buyer_status ON order_view (buyer_id, shopper_status)');
    await queryRunner.query('DROP INDEX order_view_buyer_status_placed');
    await queryRunner.query('ALTER TABLE order_view DROP COLUMN currency, DROP COLUMN item_count');
  }
}
