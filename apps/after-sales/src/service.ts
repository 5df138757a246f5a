import fastifyMultipart from '@fastify/multipart';
import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { CatalogModule } from './catalog/catalog.module.js';
import { Sku } from './catalog/sku.entity.js';
import { AfterSalesConfig } from './config/after-sales-config.js';
import { DeskModule } from './desk/desk.module.js';
import { EVIDENCE_ENTITIES, EVIDENCE_MIGRATIONS } from './evidence/evidence.module.js';
import { MAX_EVIDENCE_FILES } from './evidence/evidence-type.js';
import { ExchangesModule } from './exchanges/exchanges.module.js';
import { IntakeModule } from './intake/intake.module.js';
import { Merchant } from './merchants/merchant.entity.js';
import { MerchantsModule } from './merchants/merchants.module.js';
import { afterSalesStuckWork } from './metrics/stuck-work.js';
import { AfterSalesSchema1764600000000 } from './migrations/1764600000000-after-sales-schema.js';
import { ReplacementWarehouse1764600000003 } from './migrations/1764600000003-replacement-warehouse.js';
import { Compensation } from './purchases/compensation.entity.js';
import { Parcel } from './purchases/parcel.entity.js';
import { Purchase } from './purchases/purchase.entity.js';
import { PurchasesModule } from './purchases/purchases.module.js';
import { RefundsModule } from './refunds/refunds.module.js';
import { AfterSalesRequest } from './requests/after-sales-request.entity.js';
import { AfterSalesStep } from './requests/after-sales-step.entity.js';
import { RequestsModule } from './requests/requests.module.js';
import { ReturnsModule } from './returns/returns.module.js';

export const AFTER_SALES_ENTITIES = [
  Purchase,
  Parcel,
  Compensation,
  Merchant,
  Sku,
  AfterSalesRequest,
  AfterSalesStep,
  ...EVIDENCE_ENTITIES,
];
export const AFTER_SALES_MIGRATIONS = [AfterSalesSchema1764600000000, ...EVIDENCE_MIGRATIONS, ReplacementWarehouse1764600000003];

export const afterSalesService = defineEventDrivenService<AfterSalesConfig>({
  name: 'after-sales',
  config: AfterSalesConfig,
  publishes: [Topics.afterSales],
  // Orders: each order's figures at its split, and its compensations; logistics: parcels delivered;
  // inventory: merchants' customer-service contacts, SKUs' prices and exchanges' replacements; payments: the
  // answers to our refunds.
  consumes: [Topics.orders, Topics.logistics, Topics.inventory, Topics.payments],
  entities: AFTER_SALES_ENTITIES,
  migrations: AFTER_SALES_MIGRATIONS,
  stuckWork: afterSalesStuckWork,
  // Evidence uploads: a tenth file reaches our own check (evidence-limit-reached) rather than the plugin's error.
  beforeListen: async (app, config) => {
    await app.register(fastifyMultipart, {
      limits: { fileSize: config.EVIDENCE_MAX_FILE_BYTES, files: MAX_EVIDENCE_FILES + 1, parts: MAX_EVIDENCE_FILES + 1, fields: 0 },
      throwFileSizeLimit: false,
    });
  },
  features: [
    PurchasesModule,
    MerchantsModule,
    CatalogModule,
    ExchangesModule,
    RequestsModule,
    RefundsModule,
    DeskModule,
    IntakeModule,
    ReturnsModule,
  ],
});
