import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer service finds an order by the tracking number a shopper reads out, without the carrier:
 * the unique index parcel_tracking leads with carrier_code, so it cannot serve that lookup.
 */
export class LogisticsParcelTrackingNumber1764400000020 implements MigrationInterface {
  name = 'LogisticsParcelTrackingNumber1764400000020';
  // Built CONCURRENTLY, so handovers go on meanwhile; that cannot run in a transaction.
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build cut short leaves an invalid index of that name behind: start again from nothing.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS parcel_tracking_number');
    await queryRunner.query(
      'CREATE INDEX CONCURRENTLY parcel_tracking_number ON parcel (tracking_number) WHERE tracking_number IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Not CONCURRENTLY: TypeORM reverts a migration inside a transaction whatever its `transaction` flag.
    await queryRunner.query('DROP INDEX IF EXISTS parcel_tracking_number');
  }
}
