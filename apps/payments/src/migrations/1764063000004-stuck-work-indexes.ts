import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payments waiting for their provider and the refunds not yet final: stuck_work_items counts
 * the old ones on every scrape, which without these would read the whole of payment and refund.
 */
export class StuckWorkIndexes1764063000004 implements MigrationInterface {
  name = 'StuckWorkIndexes1764063000004';
  // Built CONCURRENTLY, so payments and refunds go on meanwhile; that cannot run in a transaction.
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build cut short leaves an invalid index of that name behind: start again from nothing.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS payment_pending');
    await queryRunner.query(`CREATE INDEX CONCURRENTLY payment_pending ON payment (order_id) WHERE state = 'PENDING'`);
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS refund_pending');
    await queryRunner.query(`CREATE INDEX CONCURRENTLY refund_pending ON refund (created_at) WHERE state = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Not CONCURRENTLY: TypeORM reverts a migration inside a transaction whatever its `transaction` flag.
    await queryRunner.query('DROP INDEX IF EXISTS refund_pending');
    await queryRunner.query('DROP INDEX IF EXISTS payment_pending');
  }
}
