import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Parcels' tracking history from carriers, and reports waiting for their parcel. */
export class LogisticsTracking1764400000002 implements MigrationInterface {
  name = 'LogisticsTracking1764400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE parcel_checkpoint (
        id bigserial PRIMARY KEY,
        parcel_id uuid NOT NULL REFERENCES parcel (id),
        provider text NOT NULL,
        provider_status text NOT NULL,
        state text,
        occurred_at timestamptz NOT NULL,
        message text NOT NULL,
        location text,
        dedupe_key text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT parcel_checkpoint_once UNIQUE (parcel_id, dedupe_key)
      )`);
    await queryRunner.query(`
      CREATE TABLE parked_tracking_report (
        id bigserial PRIMARY KEY,
        provider text NOT NULL,
        tracking_number text NOT NULL,
        report jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX parked_tracking_report_tracking ON parked_tracking_report (tracking_number)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE parked_tracking_report');
    await queryRunner.query('DROP TABLE parcel_checkpoint');
  }
}
