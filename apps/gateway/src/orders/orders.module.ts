import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module.js';
import { MyOrdersController } from './my-orders.controller.js';
import { OrdersController } from './orders.controller.js';
import { ReorderService } from './reorder.service.js';

@Module({ imports: [ReadModelModule], controllers: [OrdersController, MyOrdersController], providers: [ReorderService] })
export class OrdersModule {}
