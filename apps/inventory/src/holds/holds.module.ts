import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { StockModule } from '../stock/stock.module.js';
import { HoldExpiryWorker } from './hold-expiry.worker.js';
import { HoldsHandler } from './holds.handler.js';
import { HoldsService } from './holds.service.js';

@Module({
  imports: [CatalogModule, StockModule],
  controllers: [HoldsHandler],
  providers: [HoldsService, HoldExpiryWorker],
  exports: [HoldsService],
})
export class HoldsModule {}
