import type { MigrationInterface, QueryRunner } from 'typeorm';

/** RETURN: units of a paid order back on the shelf (a stopped sub-order, a parcel returned to us). */
export class InventoryReturns1764200000004 implements MigrationInterface {
  name = 'InventoryReturns1764200000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_kind_check');
    await queryRunner.query(
      `ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_kind_check
         CHECK (kind IN ('RECEIPT', 'ADJUSTMENT', 'HOLD', 'RELEASE', 'DEDUCTION', 'RETURN'))`,
    );
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_shape');
    await queryRunner.query(`
      ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_shape CHECK (
           (kind = 'RECEIPT' AND on_hand_delta > 0 AND held_delta = 0)
        OR (kind = 'ADJUSTMENT' AND on_hand_delta <> 0 AND held_delta = 0)
        OR (kind = 'HOLD' AND on_hand_delta = 0 AND held_delta > 0)
        OR (kind = 'RELEASE' AND on_hand_delta = 0 AND held_delta < 0)
        OR (kind = 'DEDUCTION' AND on_hand_delta < 0 AND held_delta IN (0, on_hand_delta))
        OR (kind = 'RETURN' AND on_hand_delta > 0 AND held_delta = 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM stock_movement WHERE kind = 'RETURN'`);
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_kind_check');
    await queryRunner.query(
      `ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_kind_check
         CHECK (kind IN ('RECEIPT', 'ADJUSTMENT', 'HOLD', 'RELEASE', 'DEDUCTION'))`,
    );
    await queryRunner.query('ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_shape');
    await queryRunner.query(`
      ALTER TABLE stock_movement ADD CONSTRAINT stock_movement_shape CHECK (
           (kind = 'RECEIPT' AND on_hand_delta > 0 AND held_delta = 0)
        OR (kind = 'ADJUSTMENT' AND on_hand_delta <> 0 AND held_delta = 0)
        OR (kind = 'HOLD' AND on_hand_delta = 0 AND held_delta > 0)
        OR (kind = 'RELEASE' AND on_hand_delta = 0 AND held_delta < 0)
        OR (kind = 'DEDUCTION' AND on_hand_delta < 0 AND held_delta IN (0, on_hand_delta))
      )`);
  }
}
