import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The queue of handed-over parcels to register with the tracking provider. */
export class LogisticsTrackingRegistration1764400000010 implements MigrationInterface {
  name = 'LogisticsTrackingRegistration1764400000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tracking_registration (
        parcel_id uuid PRIMARY KEY REFERENCES parcel (id),
        provider text NOT NULL,
        carrier_code text NOT NULL,
        tracking_number text NOT NULL,
        state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'REGISTERED', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        provider_ref text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The worker's question: which PENDING registrations are due, soonest first.
    await queryRunner.query(
      `CREATE INDEX tracking_registration_due ON tracking_registration (provider, next_attempt_at) WHERE state = 'PENDING'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tracking_registration');
  }
}
