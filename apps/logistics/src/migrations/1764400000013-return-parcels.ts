import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * After-sales return parcels, followed by the carriers' webhooks like any parcel, with their
 * tracking history; and their registration with the tracking provider in the same queue as
 * outbound parcels, so `tracking_registration.parcel_id` names either kind and no longer
 * references `parcel` only.
 */
export class LogisticsReturnParcels1764400000013 implements MigrationInterface {
  name = 'LogisticsReturnParcels1764400000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE return_parcel (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL CONSTRAINT return_parcel_request UNIQUE,
        order_id uuid NOT NULL,
        carrier_code text NOT NULL,
        tracking_number text NOT NULL,
        state text,
        state_at timestamptz,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT return_parcel_state_dated CHECK ((state IS NULL) = (state_at IS NULL))
      )`);
    // The key every carrier webhook is matched on, once no outbound parcel has the number.
    await queryRunner.query('CREATE INDEX return_parcel_tracking ON return_parcel (tracking_number)');
    await queryRunner.query(`
      CREATE TABLE return_parcel_checkpoint (
        id bigserial PRIMARY KEY,
        return_parcel_id uuid NOT NULL REFERENCES return_parcel (id),
        provider text NOT NULL,
        provider_status text NOT NULL,
        state text,
        occurred_at timestamptz NOT NULL,
        message text NOT NULL,
        location text,
        dedupe_key text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT return_parcel_checkpoint_once UNIQUE (return_parcel_id, dedupe_key)
      )`);
    await queryRunner.query('ALTER TABLE tracking_registration DROP CONSTRAINT tracking_registration_parcel_id_fkey');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM tracking_registration r WHERE NOT EXISTS (SELECT 1 FROM parcel p WHERE p.id = r.parcel_id)');
    await queryRunner.query(
      'ALTER TABLE tracking_registration ADD CONSTRAINT tracking_registration_parcel_id_fkey FOREIGN KEY (parcel_id) REFERENCES parcel (id)',
    );
    await queryRunner.query('DROP TABLE return_parcel_checkpoint');
    await queryRunner.query('DROP TABLE return_parcel');
  }
}
