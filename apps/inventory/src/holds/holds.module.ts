import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { StockLedgerModule } from '../stock/stock-ledger.js';
import { HoldSweeper } from './hold-sweeper.js';
import { HoldsService } from './holds.service.js';
import { OrderEventsController } from './order-events.controller.js';

@Module({
  imports: [CatalogModule, StockLedgerModule],
  controllers: [OrderEventsController],
  providers: [HoldsService, HoldSweeper],
})
export class HoldsModule {}
