import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Payments that did not pay their order exactly: kept for the staff who must settle them. */
export class PaymentMismatch1764061000002 implements MigrationInterface {
  name = 'PaymentMismatch1764061000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE payment_mismatch (
        event_id text PRIMARY KEY,
        order_id uuid NOT NULL,
        payment_id text NOT NULL,
        order_state text NOT NULL,
        expected_amount bigint NOT NULL,
        expected_currency char(3) NOT NULL,
        received_amount bigint NOT NULL,
        received_currency char(3) NOT NULL,
        mismatches text[] NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX payment_mismatch_order ON payment_mismatch (order_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE payment_mismatch');
  }
}
