import { Module } from '@nestjs/common';
import { PurchasesModule } from '../purchases/purchases.module.js';
import { RequestsModule } from '../requests/requests.module.js';
import { RefundsHandler } from './refunds.handler.js';
import { RefundsService } from './refunds.service.js';

/** Refunds of requests: calculated, asked of payments, settled by its answer. */
@Module({
  imports: [PurchasesModule, RequestsModule],
  controllers: [RefundsHandler],
  providers: [RefundsService],
  exports: [RefundsService],
})
export class RefundsModule {}
