import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each line remembers what it counted against the buyer's purchase limit. */
export class LineLimitCounted1764061000001 implements MigrationInterface {
  name = 'LineLimitCounted1764061000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE order_line ADD COLUMN limit_counted int NOT NULL DEFAULT 0 CHECK (limit_counted >= 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE order_line DROP COLUMN limit_counted');
  }
}
