import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * After-sales' own copy of what it judges requests by (each order's figures as recorded at its
 * split, its parcels, orders' compensations, merchants' contacts, SKUs' prices for exchanges), and the requests with every step.
 */
export class AfterSalesSchema1764600000000 implements MigrationInterface {
  name = 'AfterSalesSchema1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE purchase (
        order_id uuid PRIMARY KEY,
        buyer_id text NOT NULL,
        currency char(3) NOT NULL,
        record jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE parcel (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        sub_order_id uuid NOT NULL,
        state text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        lines jsonb NOT NULL,
        handed_over_at timestamptz,
        delivered_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX parcel_order ON parcel (order_id)');
    await queryRunner.query(`
      CREATE TABLE compensation (
        id text PRIMARY KEY,
        order_id uuid NOT NULL,
        record jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX compensation_order ON compensation (order_id)');
    await queryRunner.query(`
      CREATE TABLE merchant (
        id text PRIMARY KEY,
        name text NOT NULL,
        customer_service jsonb,
        changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE sku (
        id text PRIMARY KEY,
        merchant_id text NOT NULL,
        name text NOT NULL,
        price bigint NOT NULL CHECK (price >= 0),
        currency char(3) NOT NULL,
        on_shelf boolean NOT NULL,
        revision integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE after_sales_request (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        buyer_id text NOT NULL,
        merchant_id text NOT NULL,
        type text NOT NULL CHECK (type IN ('REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE')),
        reason text NOT NULL,
        seller_at_fault boolean NOT NULL,
        state text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        description text,
        lines jsonb NOT NULL,
        return_shipping jsonb,
        return_parcel jsonb,
        received_at timestamptz,
        refund_on_receipt boolean,
        inspection_passed boolean,
        inspection_note text,
        refund jsonb,
        refund_failure text,
        refunded_at timestamptz,
        replacement_sub_order_id uuid,
        state_changed_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX after_sales_request_order ON after_sales_request (order_id)');
    await queryRunner.query('CREATE INDEX after_sales_request_queue ON after_sales_request (state, state_changed_at)');
    await queryRunner.query('CREATE INDEX after_sales_request_merchant ON after_sales_request (merchant_id, state)');
    // Every sub-order change of the platform is looked up here: only exchanges' replacements match.
    await queryRunner.query(
      'CREATE UNIQUE INDEX after_sales_request_replacement ON after_sales_request (replacement_sub_order_id) WHERE replacement_sub_order_id IS NOT NULL',
    );
    await queryRunner.query(`
      CREATE TABLE after_sales_step (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES after_sales_request (id) ON DELETE CASCADE,
        from_state text,
        to_state text NOT NULL,
        actor_kind text NOT NULL,
        actor_id text,
        automatic boolean NOT NULL DEFAULT false,
        note text,
        at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX after_sales_step_request ON after_sales_step (request_id, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['after_sales_step', 'after_sales_request', 'sku', 'merchant', 'compensation', 'parcel', 'purchase']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
