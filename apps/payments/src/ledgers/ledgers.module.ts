import { Module } from '@nestjs/common';
import { LedgersController } from './ledgers.controller.js';
import { Ledgers } from './ledgers.service.js';

/** Gift cards and points: balances that move only with a ledger row. */
@Module({
  controllers: [LedgersController],
  providers: [Ledgers],
  exports: [Ledgers],
})
export class LedgersModule {}
