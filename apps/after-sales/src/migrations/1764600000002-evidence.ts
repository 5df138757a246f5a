import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The photos and videos attached to after-sales requests (their bytes are in the evidence storage). */
export class AfterSalesEvidence1764600000002 implements MigrationInterface {
  name = 'AfterSalesEvidence1764600000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE evidence_file (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL,
        position smallint NOT NULL CHECK (position >= 0 AND position < 9),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'video/mp4')),
        size int NOT NULL CHECK (size > 0),
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A request's files in the order they were attached; unique, so no tenth file finds a place.
    await queryRunner.query('CREATE UNIQUE INDEX evidence_file_request_position ON evidence_file (request_id, position)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE evidence_file');
  }
}
