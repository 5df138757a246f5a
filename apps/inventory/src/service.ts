import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { Merchant, Sku, Warehouse } from './catalog/catalog.entities.js';
import { InventoryCatalog1764200000001 } from './catalog/catalog.migration.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { InventoryConfig } from './config/inventory-config.js';
import { DemoModule } from './demo/demo-seeder.js';
import { OrderStock, StockHold } from './holds/holds.entities.js';
import { InventoryHolds1764200000003 } from './holds/holds.migration.js';
import { HoldsModule } from './holds/holds.module.js';
import { StockLevel, StockMovement } from './stock/stock.entities.js';
import { InventoryStock1764200000002 } from './stock/stock.migration.js';
import { StockModule } from './stock/stock.module.js';

export const INVENTORY_ENTITIES = [Merchant, Warehouse, Sku, StockLevel, StockMovement, OrderStock, StockHold];
export const INVENTORY_MIGRATIONS = [InventoryCatalog1764200000001, InventoryStock1764200000002, InventoryHolds1764200000003];

export const inventoryService = defineEventDrivenService<InventoryConfig>({
  name: 'inventory',
  config: InventoryConfig,
  publishes: [Topics.inventory],
  // order.placed / order.cancelled / order.paid (orders turns payment.succeeded into order.paid).
  consumes: [Topics.orders],
  // One partition at a time: events of a partition are applied several to a transaction, and
  // two such transactions locking stock rows of different orders in different orders would
  // deadlock. The instance's parallelism comes from more instances, each with its partitions.
  consumer: { partitionsConcurrently: 1 },
  entities: INVENTORY_ENTITIES,
  migrations: INVENTORY_MIGRATIONS,
  features: [CatalogModule, StockModule, HoldsModule, DemoModule],
});
