import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATES = `('AWAITING_PICK', 'PICKING', 'PACKED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INTERCEPTING', 'INTERCEPTED', 'CANCELLED')`;

/** Sub-orders as logistics keeps them: their lines and every change of their state. */
export class LogisticsSubOrders1764400000000 implements MigrationInterface {
  name = 'LogisticsSubOrders1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sub_order (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        buyer_id text NOT NULL,
        position integer NOT NULL CHECK (position >= 0),
        warehouse_id text NOT NULL,
        merchant_id text NOT NULL,
        fulfilment_type text NOT NULL CHECK (fulfilment_type IN ('SELF_OPERATED', 'THIRD_PARTY_PLATFORM', 'DROP_SHIP')),
        state text NOT NULL CHECK (state IN ${STATES}),
        version integer NOT NULL CHECK (version >= 1),
        currency char(3) NOT NULL,
        shipping_fee bigint NOT NULL CHECK (shipping_fee >= 0),
        paid_amount bigint NOT NULL CHECK (paid_amount >= 0),
        receiver jsonb NOT NULL,
        delivery_slot jsonb,
        paid_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX sub_order_warehouse_state ON sub_order (warehouse_id, state, created_at)');
    await queryRunner.query('CREATE INDEX sub_order_order ON sub_order (order_id)');
    await queryRunner.query(`
      CREATE TABLE sub_order_line (
        sub_order_id uuid NOT NULL REFERENCES sub_order (id),
        line_id uuid NOT NULL,
        sku_id text NOT NULL,
        sku_name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        merchandise bigint NOT NULL CHECK (merchandise >= 0),
        shipping_fee_share bigint NOT NULL CHECK (shipping_fee_share >= 0),
        paid_amount bigint NOT NULL CHECK (paid_amount = merchandise + shipping_fee_share),
        PRIMARY KEY (sub_order_id, line_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE sub_order_state_change (
        id bigserial PRIMARY KEY,
        sub_order_id uuid NOT NULL REFERENCES sub_order (id),
        from_state text,
        to_state text NOT NULL CHECK (to_state IN ${STATES}),
        actor_kind text NOT NULL CHECK (actor_kind IN ('STAFF', 'MERCHANT', 'PLATFORM', 'WAREHOUSE_SYSTEM', 'SYSTEM')),
        actor_id text,
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX sub_order_state_change_sub_order ON sub_order_state_change (sub_order_id, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sub_order_state_change');
    await queryRunner.query('DROP TABLE sub_order_line');
    await queryRunner.query('DROP TABLE sub_order');
  }
}
