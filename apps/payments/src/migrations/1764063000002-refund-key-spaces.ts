import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff refund ids and system refund ids (orders' and after-sales' refund.requested, our own
 * `auto:<paymentId>`) live in two key spaces: a staff id can never take the place of a system
 * one, whatever it spells.
 */
export class RefundKeySpaces1764063000002 implements MigrationInterface {
  name = 'RefundKeySpaces1764063000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE refund ADD COLUMN key_space text NOT NULL DEFAULT 'SYSTEM' CHECK (key_space IN ('STAFF', 'SYSTEM'))`,
    );
    await queryRunner.query(`UPDATE refund SET key_space = 'STAFF' WHERE source = 'STAFF'`);
    await queryRunner.query(`ALTER TABLE refund ALTER COLUMN key_space DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE refund ADD CONSTRAINT refund_staff_ids_in_staff_space CHECK ((key_space = 'STAFF') = (source = 'STAFF'))`,
    );
    await queryRunner.query('ALTER TABLE refund DROP CONSTRAINT refund_refund_key_key');
    await queryRunner.query('CREATE UNIQUE INDEX refund_key_per_space ON refund (key_space, refund_key)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX refund_key_per_space');
    await queryRunner.query('ALTER TABLE refund ADD CONSTRAINT refund_refund_key_key UNIQUE (refund_key)');
    await queryRunner.query('ALTER TABLE refund DROP CONSTRAINT refund_staff_ids_in_staff_space');
    await queryRunner.query('ALTER TABLE refund DROP COLUMN key_space');
  }
}
