import { Module } from '@nestjs/common';
import { OrderModule } from '../order/order.module.js';
import { SagaModule } from '../saga/saga.module.js';
import { CancelController } from './cancel.controller.js';
import { CancelOrderService } from './cancel.service.js';

@Module({
  imports: [OrderModule, SagaModule],
  controllers: [CancelController],
  providers: [CancelOrderService],
})
export class CancelModule {}
