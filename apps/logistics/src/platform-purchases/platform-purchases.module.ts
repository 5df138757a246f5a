import { Module } from '@nestjs/common';
import { PlatformPurchaseClient } from './platform-purchase.client.js';
import { PlatformPurchaseWorker } from './platform-purchase.worker.js';
import { PlatformPurchases } from './platform-purchases.service.js';

/** Purchases from third-party platforms, held back after payment and then placed. */
@Module({
  providers: [PlatformPurchases, PlatformPurchaseClient, PlatformPurchaseWorker],
  exports: [PlatformPurchases],
})
export class PlatformPurchasesModule {}
