import { defineEventDrivenService } from '@mallard/messaging';
import { InventoryAppModule } from './app.module.js';
import { Merchant, Sku, Warehouse } from './catalog/catalog.entities.js';
import { InventoryCatalog1764200000001 } from './catalog/catalog.migration.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { InventoryConfig } from './config/inventory-config.js';
import { DemoModule } from './demo/demo-seeder.js';
import { CONTRACT_TOPICS, InventoryEventsModule, type InventoryTopics } from './events/inventory-events.js';
import { OrderStock, StockHold } from './holds/holds.entities.js';
import { InventoryHolds1764200000003 } from './holds/holds.migration.js';
import { HoldsModule } from './holds/holds.module.js';
import { StockLevel, StockMovement } from './stock/stock.entities.js';
import { InventoryStock1764200000002 } from './stock/stock.migration.js';
import { StockModule } from './stock/stock.module.js';

export const INVENTORY_ENTITIES = [Merchant, Warehouse, Sku, StockLevel, StockMovement, OrderStock, StockHold];
export const INVENTORY_MIGRATIONS = [InventoryCatalog1764200000001, InventoryStock1764200000002, InventoryHolds1764200000003];

export interface InventoryServiceOptions {
  /** Consumer group and CloudEvents source; 'inventory' in production. */
  consumerGroup?: string;
  /** The contract topics unless given (tests run on private ones). */
  topics?: Partial<InventoryTopics>;
}

/** The inventory service; tests build isolated instances with their own group and topics. */
export function defineInventoryService(options: InventoryServiceOptions = {}) {
  const topics: InventoryTopics = { ...CONTRACT_TOPICS, ...options.topics };
  return defineEventDrivenService<InventoryConfig>({
    name: 'inventory',
    service: options.consumerGroup,
    module: InventoryAppModule,
    config: InventoryConfig,
    publishes: [topics.inventory],
    // order.placed / cancelled / paid; payments' topic carries nothing inventory acts on yet.
    consumes: [topics.orders, topics.payments],
    entities: INVENTORY_ENTITIES,
    migrations: INVENTORY_MIGRATIONS,
    imports: () => [InventoryEventsModule.forRoot(topics), CatalogModule, StockModule, HoldsModule, DemoModule],
  });
}

export const inventoryService = defineInventoryService();
