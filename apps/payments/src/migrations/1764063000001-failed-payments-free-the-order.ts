import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A payment that failed or was cancelled does not hold its order, even after a late provider
 * capture of it was refunded (state REFUNDED without succeeded_at): the shopper may pay again.
 * Only a REFUNDED payment that had succeeded keeps the order as paid.
 */
export class FailedPaymentsFreeTheOrder1764063000001 implements MigrationInterface {
  name = 'FailedPaymentsFreeTheOrder1764063000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX payment_one_active_per_order');
    await queryRunner.query(
      `CREATE UNIQUE INDEX payment_one_active_per_order ON payment (order_id)
         WHERE state IN ('CREATED', 'PENDING', 'SUCCEEDED', 'PARTIALLY_REFUNDED') OR (state = 'REFUNDED' AND succeeded_at IS NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX payment_one_active_per_order');
    await queryRunner.query(
      `CREATE UNIQUE INDEX payment_one_active_per_order ON payment (order_id)
         WHERE state IN ('CREATED', 'PENDING', 'SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED')`,
    );
  }
}
