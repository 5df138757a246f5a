import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { CatalogModule } from './catalog/catalog.module.js';
import { Merchant } from './catalog/merchant.entity.js';
import { Sku } from './catalog/sku.entity.js';
import { Warehouse } from './catalog/warehouse.entity.js';
import { InventoryConfig } from './config/inventory-config.js';
import { DemoModule } from './demo/demo.module.js';
import { ExchangeModule } from './exchange/exchange.module.js';
import { Replacement } from './exchange/replacement.entity.js';
import { HoldsModule } from './holds/holds.module.js';
import { OrderStock } from './holds/order-stock.entity.js';
import { StockHold } from './holds/stock-hold.entity.js';
import { inventoryStuckWork } from './metrics/stuck-work.js';
import { InventoryCatalog1764200000001 } from './migrations/1764200000001-catalog.js';
import { InventoryStock1764200000002 } from './migrations/1764200000002-stock.js';
import { InventoryHolds1764200000003 } from './migrations/1764200000003-holds.js';
import { InventoryReturns1764200000004 } from './migrations/1764200000004-returns.js';
import { InventoryDamagedReturns1764200000005 } from './migrations/1764200000005-damaged-returns.js';
import { InventoryMerchantCustomerService1764200000006 } from './migrations/1764200000006-merchant-customer-service.js';
import { InventoryReplacements1764200000007 } from './migrations/1764200000007-replacements.js';
import { InventoryTaxRates1764200000008 } from './migrations/1764200000008-tax-rates.js';
import { InventoryFlashSaleSkus1764200000009 } from './migrations/1764200000009-flash-sale-skus.js';
import { RestockModule } from './restock/restock.module.js';
import { lockStockOfBatch } from './stock/batch-locks.js';
import { StockModule } from './stock/stock.module.js';
import { StockLevel } from './stock/stock-level.entity.js';
import { StockMovement } from './stock/stock-movement.entity.js';

export const INVENTORY_ENTITIES = [Merchant, Warehouse, Sku, StockLevel, StockMovement, OrderStock, StockHold, Replacement];
export const INVENTORY_MIGRATIONS = [
  InventoryCatalog1764200000001,
  InventoryStock1764200000002,
  InventoryHolds1764200000003,
  InventoryReturns1764200000004,
  InventoryDamagedReturns1764200000005,
  InventoryMerchantCustomerService1764200000006,
  InventoryReplacements1764200000007,
  InventoryTaxRates1764200000008,
  InventoryFlashSaleSkus1764200000009,
];

export const inventoryService = defineEventDrivenService<InventoryConfig>({
  name: 'inventory',
  config: InventoryConfig,
  publishes: [Topics.inventory],
  // orders: order.placed / order.cancelled / order.paid (orders turns payment.succeeded into
  // order.paid), restock.requested (units of a paid order coming back); after-sales:
  // return.inspected (returned goods back on the shelf, or booked as damaged), exchange.requested
  // (an exchange's replacement, deducted from one warehouse or reported unavailable).
  consumes: [Topics.orders, Topics.afterSales],
  // Events of a partition are applied several to a transaction; lockStockOfBatch takes that
  // run's stock rows first, in inventory's lock order, so runs on different partitions (another
  // instance's) queue on the rows they share instead of deadlocking.
  consumer: { partitionsConcurrently: 1, lockBatch: lockStockOfBatch },
  entities: INVENTORY_ENTITIES,
  migrations: INVENTORY_MIGRATIONS,
  stuckWork: inventoryStuckWork,
  features: [CatalogModule, StockModule, HoldsModule, RestockModule, ExchangeModule, DemoModule],
});
