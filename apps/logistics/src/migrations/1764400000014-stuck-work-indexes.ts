import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sub-orders not yet shipped by when they arrived, and the interceptions waiting for an answer
 * by when they were asked: stuck_work_items counts the old ones on every scrape, which without
 * these would read the whole of sub_order and sub_order_interception.
 */
export class LogisticsStuckWorkIndexes1764400000014 implements MigrationInterface {
  name = 'LogisticsStuckWorkIndexes1764400000014';
  // Built CONCURRENTLY, so fulfilment goes on meanwhile; that cannot run in a transaction.
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build cut short leaves an invalid index of that name behind: start again from nothing.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS sub_order_unshipped');
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY sub_order_unshipped ON sub_order (created_at)
         WHERE state IN ('AWAITING_PICK', 'PICKING', 'PACKED', 'PARTIALLY_SHIPPED')`,
    );
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS sub_order_interception_requested');
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY sub_order_interception_requested ON sub_order_interception (requested_at) WHERE outcome = 'REQUESTED'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Not CONCURRENTLY: TypeORM reverts a migration inside a transaction whatever its `transaction` flag.
    await queryRunner.query('DROP INDEX IF EXISTS sub_order_interception_requested');
    await queryRunner.query('DROP INDEX IF EXISTS sub_order_unshipped');
  }
}
