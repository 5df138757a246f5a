import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a delivered order completes (its last delivery plus the after-sales window), so that a sweep
 * finds the orders due; and a platform purchase that failed for good, which the shopper's order
 * shows as an exception.
 */
export class GatewayCompletionAndExceptions1764500000021 implements MigrationInterface {
  name = 'GatewayCompletionAndExceptions1764500000021';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE parcel_view ADD COLUMN delivered_at timestamptz');
    await queryRunner.query('ALTER TABLE order_view ADD COLUMN completes_at timestamptz');
    await queryRunner.query(`CREATE INDEX order_view_completion_due ON order_view (completes_at) WHERE shopper_status = 'DELIVERED'`);
    await queryRunner.query('ALTER TABLE sub_order_view ADD COLUMN purchase_failed boolean NOT NULL DEFAULT false');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sub_order_view DROP COLUMN purchase_failed');
    await queryRunner.query('DROP INDEX order_view_completion_due');
    await queryRunner.query('ALTER TABLE order_view DROP COLUMN completes_at');
    await queryRunner.query('ALTER TABLE parcel_view DROP COLUMN delivered_at');
  }
}
