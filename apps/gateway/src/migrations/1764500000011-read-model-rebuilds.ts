import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per rebuild of the read model (`npm run rebuild-read-model`). The newest generation is
 * part of every status stream's event id: a rebuild starts every order's status version again
 * from nothing, and a client reconnecting with an id from before it must still get the status.
 */
export class GatewayReadModelRebuilds1764500000011 implements MigrationInterface {
  name = 'GatewayReadModelRebuilds1764500000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE read_model_rebuild (
        generation integer PRIMARY KEY,
        consumer_group text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE read_model_rebuild');
  }
}
