import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The paid orders not yet split, by when they were paid: stuck_work_items counts the old ones on
 * every scrape, which without it would read the whole of parent_order.
 */
export class StuckWorkIndexes1764061000012 implements MigrationInterface {
  name = 'StuckWorkIndexes1764061000012';
  // Built CONCURRENTLY, so placing and paying go on meanwhile; that cannot run in a transaction.
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build cut short leaves an invalid index of that name behind: start again from nothing.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS parent_order_paid_since');
    await queryRunner.query(`CREATE INDEX CONCURRENTLY parent_order_paid_since ON parent_order (paid_at) WHERE state = 'PAID'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Not CONCURRENTLY: TypeORM reverts a migration inside a transaction whatever its `transaction` flag.
    await queryRunner.query('DROP INDEX IF EXISTS parent_order_paid_since');
  }
}
