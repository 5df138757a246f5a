import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shopper's cancel after payment is remembered on the order (and sent to logistics once the order
 * is split); what orders gave back for each stopped sub-order and each refused or returned parcel is
 * one `compensation` row, so a redelivered logistics event never refunds or restocks twice.
 */
export class InterceptionAndCompensation1764061000006 implements MigrationInterface {
  name = 'InterceptionAndCompensation1764061000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE parent_order ADD COLUMN interception_requested_at timestamptz');
    await queryRunner.query(`
      CREATE TABLE compensation (
        id text PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES parent_order (id) ON DELETE CASCADE,
        sub_order_id uuid NOT NULL,
        parcel_id uuid,
        kind text NOT NULL CHECK (kind IN ('SUB_ORDER_STOPPED', 'PARCEL_REJECTED', 'PARCEL_RETURNED')),
        refund_amount bigint NOT NULL CHECK (refund_amount >= 0),
        shipping_fee_refunded bigint NOT NULL CHECK (shipping_fee_refunded >= 0),
        lines jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX compensation_sub_order ON compensation (sub_order_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE compensation');
    await queryRunner.query('ALTER TABLE parent_order DROP COLUMN interception_requested_at');
  }
}
