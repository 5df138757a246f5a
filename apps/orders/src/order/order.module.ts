import { Module } from '@nestjs/common';
import { OrderController } from './order.controller.js';
import { OrderQueries } from './order.queries.js';
import { OrderTransitions } from './order-transitions.js';

/** The parent order: its reads, and the one way its state changes (used by the saga and cancel). */
@Module({
  controllers: [OrderController],
  providers: [OrderQueries, OrderTransitions],
  exports: [OrderQueries, OrderTransitions],
})
export class OrderModule {}
