import { Module } from '@nestjs/common';
import { PlatformPurchasesModule } from '../platform-purchases/platform-purchases.module.js';
import { SubOrdersModule } from '../sub-orders/sub-orders.module.js';
import { InterceptionHandler } from './interception.handler.js';
import { InterceptionService } from './interception.service.js';

/** Stopping the sub-orders of a paid order the shopper cancelled. */
@Module({
  imports: [SubOrdersModule, PlatformPurchasesModule],
  controllers: [InterceptionHandler],
  providers: [InterceptionService],
  exports: [InterceptionService],
})
export class InterceptionModule {}
