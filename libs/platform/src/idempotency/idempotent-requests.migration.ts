import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The idempotency keys of a service's requests (idempotency-store.ts), one table for every
 * scope; every service lists this migration right after the messaging tables.
 */
export class IdempotentRequests1764060000100 implements MigrationInterface {
  name = 'IdempotentRequests1764060000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotent_request (
        scope text NOT NULL,
        requester text NOT NULL,
        request_key text NOT NULL,
        fingerprint text,
        reference text,
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, requester, request_key)
      )`);
    // The purge walks one scope's oldest keys.
    await queryRunner.query('CREATE INDEX idempotent_request_age ON idempotent_request (scope, created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotent_request');
  }
}
