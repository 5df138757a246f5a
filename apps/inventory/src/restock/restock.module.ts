import { Module } from '@nestjs/common';
import { StockModule } from '../stock/stock.module.js';
import { RestockHandler } from './restock.handler.js';
import { RestockService } from './restock.service.js';

/** Units of paid orders coming back: on the shelf, or (after-sales inspection failed) booked as damaged. */
@Module({
  imports: [StockModule],
  controllers: [RestockHandler],
  providers: [RestockService],
})
export class RestockModule {}
