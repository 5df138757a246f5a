import { Module } from '@nestjs/common';
import { CancelOrderService } from './cancel/cancel-order.service.js';
import { CatalogHandler } from './catalog/catalog.handler.js';
import { PaymentWindowSweeper } from './expiry/payment-window.sweeper.js';
import { PlacementRequestPurger } from './expiry/placement-request.purger.js';
import { OrdersMetrics } from './metrics/orders-metrics.js';
import { OrderQueries } from './order/order.queries.js';
import { OrderTransitions } from './order/order-transitions.js';
import { OrdersController } from './order/orders.controller.js';
import { PlacementService } from './placement/placement.service.js';
import { PromotionBook } from './promotions/promotion-book.js';
import { PromotionsController } from './promotions/promotions.controller.js';
import { OrderSagaHandler } from './saga/order-saga.handler.js';
import { OrderSaga } from './saga/order-saga.js';

/** Parent orders, lines, pricing and promotions, apportionment, sub-orders and the order saga. */
@Module({
  controllers: [OrdersController, PromotionsController, CatalogHandler, OrderSagaHandler],
  providers: [
    PlacementService,
    OrderQueries,
    OrderTransitions,
    OrderSaga,
    CancelOrderService,
    PaymentWindowSweeper,
    PlacementRequestPurger,
    PromotionBook,
    OrdersMetrics,
  ],
})
export class OrdersAppModule {}
