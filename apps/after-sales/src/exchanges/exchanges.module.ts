import { Module } from '@nestjs/common';
import { PurchasesModule } from '../purchases/purchases.module.js';
import { RefundsModule } from '../refunds/refunds.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { ExchangesHandler } from './exchanges.handler.js';
import { ExchangesService } from './exchanges.service.js';

/** Replacements of exchanges: asked of inventory, shipped by logistics, refunded when out of stock, restocked when they come back. */
@Module({
  imports: [RequestsModule, RefundsModule, PurchasesModule],
  controllers: [ExchangesHandler],
  providers: [ExchangesService],
  exports: [ExchangesService],
})
export class ExchangesModule {}
