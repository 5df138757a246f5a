import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { HoldsModule } from '../holds/holds.module.js';
import { StockModule } from '../stock/stock.module.js';
import { ExchangeHandler } from './exchange.handler.js';
import { ExchangeService } from './exchange.service.js';

/** The replacements of after-sales exchanges: deducted from one warehouse of the merchant, or reported unavailable. */
@Module({
  imports: [CatalogModule, HoldsModule, StockModule],
  controllers: [ExchangeHandler],
  providers: [ExchangeService],
})
export class ExchangeModule {}
