import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { Merchant } from '../catalog/merchant.entity.js';
import { Sku } from '../catalog/sku.entity.js';
import { Warehouse } from '../catalog/warehouse.entity.js';
import { InventoryConfig } from '../config/inventory-config.js';
import { StockService } from '../stock/stock.service.js';
import { DEMO_MALL, type DemoMall } from './demo-data.js';

/**
 * Loads the demo mall at start when SEED_DEMO_DATA=true. Idempotent, also with several
 * instances starting at once: it only creates what is missing (staff edits of demo SKUs survive
 * a restart) and each opening receipt carries an idempotency key, so it is booked once.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    private readonly config: InventoryConfig,
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
    private readonly stock: StockService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_DEMO_DATA) return;
    const created = await this.seed(DEMO_MALL);
    this.logger.log(`demo mall loaded (${created} new record(s))`);
  }

  async seed(mall: DemoMall): Promise<number> {
    let created = 0;
    const exists = (entity: typeof Merchant | typeof Warehouse | typeof Sku, id: string) =>
      this.dataSource.getRepository(entity).existsBy({ id });
    for (const { id, ...merchant } of mall.merchants) {
      if (!(await exists(Merchant, id)) && (await this.catalog.putMerchant(id, merchant)).created) created += 1;
    }
    for (const { id, ...warehouse } of mall.warehouses) {
      if (!(await exists(Warehouse, id)) && (await this.catalog.putWarehouse(id, warehouse)).created) created += 1;
    }
    for (const { id, ...sku } of mall.skus) {
      if (!(await exists(Sku, id)) && (await this.catalog.putSku(id, sku)).created) created += 1;
    }
    for (const receipt of mall.receipts) {
      const { replayed } = await this.stock.recordMovement(
        { ...receipt, kind: 'RECEIPT', reason: 'demo opening stock' },
        `demo-opening:${receipt.skuId}:${receipt.warehouseId}`,
      );
      if (!replayed) created += 1;
    }
    return created;
  }
}
