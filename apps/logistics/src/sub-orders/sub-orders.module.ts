import { Module } from '@nestjs/common';
import { PlatformPurchasesModule } from '../platform-purchases/platform-purchases.module.js';
import { SubOrdersHandler } from './sub-orders.handler.js';
import { SubOrdersService } from './sub-orders.service.js';

@Module({
  imports: [PlatformPurchasesModule],
  controllers: [SubOrdersHandler],
  providers: [SubOrdersService],
  exports: [SubOrdersService],
})
export class SubOrdersModule {}
