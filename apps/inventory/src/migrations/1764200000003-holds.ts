import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-order stock state and the live holds. */
export class InventoryHolds1764200000003 implements MigrationInterface {
  name = 'InventoryHolds1764200000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_stock (
        order_id uuid PRIMARY KEY,
        state text NOT NULL CHECK (state IN
          ('NEW', 'HELD', 'NOTHING_HELD', 'RESERVATION_FAILED', 'CANCELLED', 'EXPIRED', 'DEDUCTED', 'DEDUCTION_FAILED')),
        expires_at timestamptz,
        allocations jsonb,
        shortages jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT order_stock_held_expires CHECK (state <> 'HELD' OR expires_at IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX order_stock_expiry ON order_stock (expires_at) WHERE state = 'HELD'`);
    await queryRunner.query(`
      CREATE TABLE stock_hold (
        order_id uuid NOT NULL REFERENCES order_stock (order_id),
        line_id text NOT NULL,
        warehouse_id text NOT NULL,
        sku_id text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_id, line_id, warehouse_id),
        FOREIGN KEY (sku_id, warehouse_id) REFERENCES stock_level (sku_id, warehouse_id)
      )`);
    await queryRunner.query('CREATE INDEX stock_hold_level ON stock_hold (sku_id, warehouse_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE stock_hold');
    await queryRunner.query('DROP TABLE order_stock');
  }
}
