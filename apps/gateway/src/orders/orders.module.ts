import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module.js';
import { MyOrdersController } from './my-orders.controller.js';
import { OrderListService } from './order-list.service.js';
import { OrdersController } from './orders.controller.js';
import { ReorderService } from './reorder.service.js';
import { StaffOrderSearch } from './staff-order-search.service.js';
import { StaffOrdersController } from './staff-orders.controller.js';

@Module({
  imports: [ReadModelModule],
  controllers: [OrdersController, MyOrdersController, StaffOrdersController],
  providers: [ReorderService, OrderListService, StaffOrderSearch],
})
export class OrdersModule {}
