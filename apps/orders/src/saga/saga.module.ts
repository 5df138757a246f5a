import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OrderModule } from '../order/order.module.js';
import { OrderSagaHandler } from './saga.handler.js';
import { OrderSaga } from './saga.service.js';

/** The order saga; exports its steps for the features that close orders (cancel, expiry). */
@Module({
  imports: [OrderModule, MetricsModule],
  controllers: [OrderSagaHandler],
  providers: [OrderSaga],
  exports: [OrderSaga],
})
export class SagaModule {}
