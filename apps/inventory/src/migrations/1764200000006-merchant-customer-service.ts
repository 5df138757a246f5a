import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A merchant's customer-service contact (phone, hours, chat URL), shown to shoppers by after-sales. */
export class InventoryMerchantCustomerService1764200000006 implements MigrationInterface {
  name = 'InventoryMerchantCustomerService1764200000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE merchant ADD COLUMN customer_service jsonb
        CONSTRAINT merchant_customer_service_object CHECK (customer_service IS NULL OR jsonb_typeof(customer_service) = 'object')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE merchant DROP COLUMN customer_service');
  }
}
