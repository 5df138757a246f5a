import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller.js';
import { ReorderService } from './reorder.service.js';

@Module({ controllers: [OrdersController], providers: [ReorderService] })
export class OrdersModule {}
