import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway's read model of orders: the shopper's status and what it is rolled up from. */
export class GatewayReadModel1764500000000 implements MigrationInterface {
  name = 'GatewayReadModel1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_view (
        order_id uuid PRIMARY KEY,
        buyer_id text,
        placed_at timestamptz,
        orders_state text,
        state_reason text,
        payable bigint,
        paid_amount bigint NOT NULL DEFAULT 0,
        refunded_amount bigint NOT NULL DEFAULT 0,
        shopper_status text,
        interception_flag text NOT NULL DEFAULT 'NONE',
        refunded_flag text NOT NULL DEFAULT 'NONE',
        exception_flag boolean NOT NULL DEFAULT false,
        status_version integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX order_view_buyer ON order_view (buyer_id, placed_at DESC)');
    await queryRunner.query('CREATE INDEX order_view_buyer_status ON order_view (buyer_id, shopper_status)');
    await queryRunner.query(`
      CREATE TABLE sub_order_view (
        sub_order_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        state text NOT NULL,
        version integer NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX sub_order_view_order ON sub_order_view (order_id)');
    await queryRunner.query(`
      CREATE TABLE parcel_view (
        parcel_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        sub_order_id uuid NOT NULL,
        state text NOT NULL,
        version integer NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX parcel_view_order ON parcel_view (order_id)');
    await queryRunner.query(`
      CREATE TABLE refund_view (
        refund_id text PRIMARY KEY,
        order_id uuid NOT NULL,
        amount bigint NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX refund_view_order ON refund_view (order_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['refund_view', 'parcel_view', 'sub_order_view', 'order_view']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
