import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module.js';
import { MyOrdersController } from './my-orders.controller.js';
import { OrderListService } from './order-list.service.js';
import { OrdersController } from './orders.controller.js';
import { ReorderService } from './reorder.service.js';

@Module({
  imports: [ReadModelModule],
  controllers: [OrdersController, MyOrdersController],
  providers: [ReorderService, OrderListService],
})
export class OrdersModule {}
