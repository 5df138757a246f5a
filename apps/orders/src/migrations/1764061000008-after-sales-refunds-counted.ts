import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What after-sales refunded is recorded as a compensation of its own kind (AFTER_SALES_REFUND), so a
 * parcel refused or a sub-order stopped afterwards refunds only what is left. Orders reads the
 * after-sales topic from its start on the first run, so refunds still within the topic's retention
 * are recorded too. Pods of the previous release already count such rows as given back (they leave
 * out only PARCEL_RETURNED).
 */
export class AfterSalesRefundsCounted1764061000008 implements MigrationInterface {
  name = 'AfterSalesRefundsCounted1764061000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE compensation DROP CONSTRAINT compensation_kind_check');
    await queryRunner.query(`
      ALTER TABLE compensation ADD CONSTRAINT compensation_kind_check
        CHECK (kind IN ('SUB_ORDER_STOPPED', 'PARCEL_REJECTED', 'PARCEL_RETURNED', 'AFTER_SALES_REFUND'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM compensation WHERE kind = 'AFTER_SALES_REFUND'`);
    await queryRunner.query('ALTER TABLE compensation DROP CONSTRAINT compensation_kind_check');
    await queryRunner.query(`
      ALTER TABLE compensation ADD CONSTRAINT compensation_kind_check
        CHECK (kind IN ('SUB_ORDER_STOPPED', 'PARCEL_REJECTED', 'PARCEL_RETURNED'))`);
  }
}
