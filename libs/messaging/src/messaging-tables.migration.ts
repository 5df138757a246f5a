import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox and inbox tables; every service lists this migration first. */
export class MessagingTables1764060000000 implements MigrationInterface {
  name = 'MessagingTables1764060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_message (
        position bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        topic text NOT NULL,
        partition_key text NOT NULL,
        headers jsonb NOT NULL,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE inbox_message (
        consumer_group text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await queryRunner.query('CREATE INDEX inbox_message_processed_at ON inbox_message (processed_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE inbox_message');
    await queryRunner.query('DROP TABLE outbox_message');
  }
}
