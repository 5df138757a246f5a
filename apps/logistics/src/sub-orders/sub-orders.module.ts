import { Module } from '@nestjs/common';
import { SubOrdersHandler } from './sub-orders.handler.js';
import { SubOrdersService } from './sub-orders.service.js';

@Module({
  controllers: [SubOrdersHandler],
  providers: [SubOrdersService],
  exports: [SubOrdersService],
})
export class SubOrdersModule {}
