import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shopper's request to stop each sub-order of a paid order, and the purchases from third-party
 * platforms, held back for PLATFORM_PURCHASE_DELAY_SECONDS after payment so that stopping costs nothing.
 */
export class LogisticsInterception1764400000003 implements MigrationInterface {
  name = 'LogisticsInterception1764400000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sub_order_interception (
        sub_order_id uuid PRIMARY KEY REFERENCES sub_order (id),
        order_id uuid NOT NULL,
        requested_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('REQUESTED', 'STOPPED', 'REFUSED')),
        reason text,
        decided_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX sub_order_interception_order ON sub_order_interception (order_id)');
    await queryRunner.query(`
      CREATE TABLE platform_purchase (
        sub_order_id uuid PRIMARY KEY REFERENCES sub_order (id),
        state text NOT NULL CHECK (state IN ('PENDING', 'PLACED', 'DROPPED', 'FAILED')),
        due_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        platform_ref text,
        last_error text,
        placed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX platform_purchase_due ON platform_purchase (due_at) WHERE state = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE platform_purchase');
    await queryRunner.query('DROP TABLE sub_order_interception');
  }
}
