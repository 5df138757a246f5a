import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATES = `('PACKED', 'LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'EXCEPTION', 'DELIVERY_FAILED', 'OUT_FOR_DELIVERY',
  'AVAILABLE_FOR_PICKUP', 'DELIVERED', 'REJECTED', 'RETURNING', 'RETURNED_TO_SENDER', 'LOST')`;
const SOURCES = `('STAFF', 'MERCHANT', 'PLATFORM', 'WAREHOUSE_SYSTEM', 'CARRIER')`;

/** Parcels, what each holds, and every change of their state. */
export class LogisticsParcels1764400000001 implements MigrationInterface {
  name = 'LogisticsParcels1764400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE parcel (
        id uuid PRIMARY KEY,
        sub_order_id uuid NOT NULL REFERENCES sub_order (id),
        order_id uuid NOT NULL,
        state text NOT NULL CHECK (state IN ${STATES}),
        state_at timestamptz NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        carrier_code text,
        tracking_number text,
        source text NOT NULL CHECK (source IN ${SOURCES}),
        handed_over_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT parcel_tracked_together CHECK ((carrier_code IS NULL) = (tracking_number IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX parcel_sub_order ON parcel (sub_order_id)');
    await queryRunner.query('CREATE INDEX parcel_order ON parcel (order_id)');
    // One parcel per carrier's tracking number: the key every carrier webhook is matched on.
    await queryRunner.query(
      'CREATE UNIQUE INDEX parcel_tracking ON parcel (carrier_code, tracking_number) WHERE tracking_number IS NOT NULL',
    );
    await queryRunner.query(`
      CREATE TABLE parcel_line (
        parcel_id uuid NOT NULL REFERENCES parcel (id),
        line_id uuid NOT NULL,
        sku_id text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (parcel_id, line_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE parcel_state_change (
        id bigserial PRIMARY KEY,
        parcel_id uuid NOT NULL REFERENCES parcel (id),
        from_state text,
        to_state text NOT NULL CHECK (to_state IN ${STATES}),
        source text NOT NULL CHECK (source IN ${SOURCES}),
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX parcel_state_change_parcel ON parcel_state_change (parcel_id, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE parcel_state_change');
    await queryRunner.query('DROP TABLE parcel_line');
    await queryRunner.query('DROP TABLE parcel');
  }
}
