import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersSchema1764061000000 implements MigrationInterface {
  name = 'OrdersSchema1764061000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalog_sku (
        id text PRIMARY KEY,
        merchant_id text NOT NULL,
        name text NOT NULL,
        price_minor bigint NOT NULL CHECK (price_minor >= 0),
        currency char(3) NOT NULL,
        on_shelf boolean NOT NULL,
        fulfilment_type text NOT NULL,
        stock_policy text NOT NULL,
        scarce boolean NOT NULL,
        purchase_limit int,
        revision int NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE parent_order (
        id uuid PRIMARY KEY,
        buyer_id text NOT NULL,
        state text NOT NULL,
        state_reason text,
        currency char(3) NOT NULL,
        receiver jsonb NOT NULL,
        delivery_slot jsonb,
        payment_method text NOT NULL,
        coupon_code text,
        items_total bigint NOT NULL,
        item_discount bigint NOT NULL,
        order_discount bigint NOT NULL,
        shipping_fee bigint NOT NULL,
        payable bigint NOT NULL CHECK (payable >= 0),
        applied_discounts jsonb NOT NULL,
        placed_at timestamptz NOT NULL,
        payment_due_at timestamptz NOT NULL,
        paid_at timestamptz,
        payment_id text,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX parent_order_buyer ON parent_order (buyer_id, placed_at DESC)');
    // Only unpaid orders are ever swept for their payment window.
    await queryRunner.query(
      `CREATE INDEX parent_order_unpaid_due ON parent_order (payment_due_at) WHERE state IN ('PLACED', 'AWAITING_PAYMENT')`,
    );
    await queryRunner.query(`
      CREATE TABLE order_line (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES parent_order (id) ON DELETE CASCADE,
        position int NOT NULL,
        sku_id text NOT NULL,
        sku_name text NOT NULL,
        merchant_id text NOT NULL,
        fulfilment_type text NOT NULL,
        stock_policy text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price bigint NOT NULL,
        line_amount bigint NOT NULL,
        item_discount bigint NOT NULL,
        order_discount_share bigint NOT NULL,
        shipping_fee_share bigint NOT NULL,
        paid_amount bigint NOT NULL CHECK (paid_amount >= 0),
        allocations jsonb NOT NULL DEFAULT '[]'
      )`);
    await queryRunner.query('CREATE INDEX order_line_order ON order_line (order_id, position)');
    await queryRunner.query(`
      CREATE TABLE sub_order (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES parent_order (id) ON DELETE CASCADE,
        position int NOT NULL,
        warehouse_id text NOT NULL,
        merchant_id text NOT NULL,
        fulfilment_type text NOT NULL,
        shipping_fee bigint NOT NULL,
        lines jsonb NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX sub_order_order ON sub_order (order_id, position)');
    await queryRunner.query(`
      CREATE TABLE order_state_change (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL,
        from_state text,
        to_state text NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX order_state_change_order ON order_state_change (order_id, id)');
    await queryRunner.query(`
      CREATE TABLE placement_request (
        buyer_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        order_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (buyer_id, idempotency_key)
      )`);
    await queryRunner.query(`
      CREATE TABLE purchase_tally (
        buyer_id text NOT NULL,
        sku_id text NOT NULL,
        quantity int NOT NULL CHECK (quantity >= 0),
        PRIMARY KEY (buyer_id, sku_id)
      )`);
    await queryRunner.query('CREATE TABLE promotion (id text PRIMARY KEY, rule jsonb NOT NULL, active boolean NOT NULL)');
    await queryRunner.query('CREATE TABLE coupon (code text PRIMARY KEY, rule jsonb NOT NULL, active boolean NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'coupon',
      'promotion',
      'purchase_tally',
      'placement_request',
      'order_state_change',
      'sub_order',
      'order_line',
      'parent_order',
      'catalog_sku',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
