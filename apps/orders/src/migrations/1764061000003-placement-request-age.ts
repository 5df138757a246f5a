import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The retention purge finds expired placement requests by age without scanning the table. */
export class PlacementRequestAge1764061000003 implements MigrationInterface {
  name = 'PlacementRequestAge1764061000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX placement_request_created ON placement_request (created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX placement_request_created');
  }
}
