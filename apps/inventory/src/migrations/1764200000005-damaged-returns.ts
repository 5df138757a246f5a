import type { MigrationInterface, QueryRunner } from 'typeorm';

const SHAPE_BEFORE = `
  (kind = 'RECEIPT' AND on_hand_delta > 0 AND held_delta = 0)
  OR (kind = 'ADJUSTMENT' AND on_hand_delta <> 0 AND held_delta = 0)
  OR (kind = 'HOLD' AND on_hand_delta = 0 AND held_delta > 0)
  OR (kind = 'RELEASE' AND on_hand_delta = 0 AND held_delta < 0)
  OR (kind = 'DEDUCTION' AND on_hand_delta < 0 AND held_delta IN (0, on_hand_delta))
  OR (kind = 'RETURN' AND on_hand_delta > 0 AND held_delta = 0)`;

/**
 * DAMAGED: returned units that failed inspection. They are booked (damaged_delta, the units) but
 * never sellable, so on_hand and held stay; every other kind has damaged_delta 0. The column's
 * default keeps the previous release's inserts, which do not name it, valid during a rolling update.
 */
export class InventoryDamagedReturns1764200000005 implements MigrationInterface {
  name = 'InventoryDamagedReturns1764200000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE stock_movement ADD COLUMN damaged_delta integer NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_kind_check');
    await queryRunner.query(
      `ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_kind_check
         CHECK (kind IN ('RECEIPT', 'ADJUSTMENT', 'HOLD', 'RELEASE', 'DEDUCTION', 'RETURN', 'DAMAGED'))`,
    );
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_shape');
    await queryRunner.query(`
      ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_shape CHECK (
           (damaged_delta = 0 AND (${SHAPE_BEFORE}))
        OR (kind = 'DAMAGED' AND on_hand_delta = 0 AND held_delta = 0 AND damaged_delta > 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM stock_movement WHERE kind = 'DAMAGED'`);
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_shape');
    await queryRunner.query(`ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_shape CHECK (${SHAPE_BEFORE})`);
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_kind_check');
    await queryRunner.query(
      `ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_kind_check
         CHECK (kind IN ('RECEIPT', 'ADJUSTMENT', 'HOLD', 'RELEASE', 'DEDUCTION', 'RETURN'))`,
    );
    await queryRunner.query('ALTER TABLE stock_movement DROP COLUMN damaged_delta');
  }
}
