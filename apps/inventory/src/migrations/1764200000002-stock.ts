import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stock per SKU and warehouse, and its ledger. The CHECKs are the last line against overselling. */
export class InventoryStock1764200000002 implements MigrationInterface {
  name = 'InventoryStock1764200000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stock_level (
        sku_id text NOT NULL REFERENCES sku (id),
        warehouse_id text NOT NULL REFERENCES warehouse (id),
        on_hand integer NOT NULL DEFAULT 0,
        held integer NOT NULL DEFAULT 0,
        PRIMARY KEY (sku_id, warehouse_id),
        CONSTRAINT stock_level_held_not_negative CHECK (held >= 0),
        CONSTRAINT stock_level_on_hand_covers_held CHECK (on_hand >= held)
      )`);
    await queryRunner.query('CREATE INDEX stock_level_warehouse ON stock_level (warehouse_id)');
    await queryRunner.query(`
      CREATE TABLE stock_movement (
        id bigserial PRIMARY KEY,
        sku_id text NOT NULL,
        warehouse_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('RECEIPT', 'ADJUSTMENT', 'HOLD', 'RELEASE', 'DEDUCTION')),
        on_hand_delta integer NOT NULL,
        held_delta integer NOT NULL,
        order_id uuid,
        reason text,
        request_key text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (sku_id, warehouse_id) REFERENCES stock_level (sku_id, warehouse_id),
        CONSTRAINT stock_movement_shape CHECK (
             (kind = 'RECEIPT' AND on_hand_delta > 0 AND held_delta = 0)
          OR (kind = 'ADJUSTMENT' AND on_hand_delta <> 0 AND held_delta = 0)
          OR (kind = 'HOLD' AND on_hand_delta = 0 AND held_delta > 0)
          OR (kind = 'RELEASE' AND on_hand_delta = 0 AND held_delta < 0)
          OR (kind = 'DEDUCTION' AND on_hand_delta < 0 AND held_delta IN (0, on_hand_delta))
        ),
        CONSTRAINT stock_movement_order_kinds CHECK (kind IN ('RECEIPT', 'ADJUSTMENT') OR order_id IS NOT NULL)
      )`);
    await queryRunner.query('CREATE INDEX stock_movement_level ON stock_movement (sku_id, warehouse_id, id)');
    await queryRunner.query('CREATE INDEX stock_movement_order ON stock_movement (order_id) WHERE order_id IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE stock_movement');
    await queryRunner.query('DROP TABLE stock_level');
  }
}
