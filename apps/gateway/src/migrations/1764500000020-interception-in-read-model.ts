import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The shopper's cancel after payment in the read model: asked on the order, refused per sub-order. */
export class GatewayInterception1764500000020 implements MigrationInterface {
  name = 'GatewayInterception1764500000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE order_view ADD COLUMN interception_requested boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE sub_order_view ADD COLUMN interception_refused text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sub_order_view DROP COLUMN interception_refused');
    await queryRunner.query('ALTER TABLE order_view DROP COLUMN interception_requested');
  }
}
