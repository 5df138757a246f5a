import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A platform purchase whose attempt got no definite answer may be placed: an interception must not drop it. */
export class LogisticsPurchaseMaybePlaced1764400000011 implements MigrationInterface {
  name = 'LogisticsPurchaseMaybePlaced1764400000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE platform_purchase ADD COLUMN maybe_placed boolean NOT NULL DEFAULT false');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE platform_purchase DROP COLUMN maybe_placed');
  }
}
