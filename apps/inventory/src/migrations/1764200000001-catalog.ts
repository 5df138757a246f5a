import type { MigrationInterface, QueryRunner } from 'typeorm';

const POLICIES = `('RESERVE_ON_ORDER', 'DEDUCT_ON_PAYMENT')`;
const FULFILMENT = `('SELF_OPERATED', 'THIRD_PARTY_PLATFORM', 'DROP_SHIP')`;

/** Merchants, warehouses and SKUs. */
export class InventoryCatalog1764200000001 implements MigrationInterface {
  name = 'InventoryCatalog1764200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE merchant (
        id text PRIMARY KEY,
        name text NOT NULL,
        default_stock_policy text NOT NULL CHECK (default_stock_policy IN ${POLICIES}),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE warehouse (
        id text PRIMARY KEY,
        name text NOT NULL,
        merchant_id text REFERENCES merchant (id),
        fulfilment_type text NOT NULL CHECK (fulfilment_type IN ${FULFILMENT}),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT warehouse_drop_ship_has_merchant CHECK (fulfilment_type <> 'DROP_SHIP' OR merchant_id IS NOT NULL)
      )`);
    await queryRunner.query(`
      CREATE TABLE sku (
        id text PRIMARY KEY,
        merchant_id text NOT NULL REFERENCES merchant (id),
        name text NOT NULL,
        price_minor bigint NOT NULL CHECK (price_minor >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        on_shelf boolean NOT NULL,
        fulfilment_type text NOT NULL CHECK (fulfilment_type IN ${FULFILMENT}),
        stock_policy text CHECK (stock_policy IN ${POLICIES}),
        scarce boolean NOT NULL DEFAULT false,
        purchase_limit integer CHECK (purchase_limit >= 1),
        revision integer NOT NULL CHECK (revision >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX sku_merchant ON sku (merchant_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sku');
    await queryRunner.query('DROP TABLE warehouse');
    await queryRunner.query('DROP TABLE merchant');
  }
}
