import { Module } from '@nestjs/common';
import { StockController } from './stock.controller.js';
import { StockService } from './stock.service.js';
import { StockLedger } from './stock-ledger.js';

/** Stock levels and their ledger: the one write path for stock (StockLedger), which catalog and holds use too. */
@Module({
  controllers: [StockController],
  providers: [StockService, StockLedger],
  exports: [StockService, StockLedger],
})
export class StockModule {}
