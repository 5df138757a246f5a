import { Module } from '@nestjs/common';
import { StockLedgerModule } from '../stock/stock-ledger.js';
import { CatalogController } from './catalog.controller.js';
import { CatalogService } from './catalog.service.js';

@Module({
  imports: [StockLedgerModule],
  controllers: [CatalogController],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
