import { Module } from '@nestjs/common';
import { RefundsModule } from '../refunds/refunds.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { ExchangesHandler } from './exchanges.handler.js';
import { ExchangesService } from './exchanges.service.js';

/** Replacements of exchanges: asked of inventory, shipped by logistics, or refunded when out of stock. */
@Module({
  imports: [RequestsModule, RefundsModule],
  controllers: [ExchangesHandler],
  providers: [ExchangesService],
  exports: [ExchangesService],
})
export class ExchangesModule {}
