import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import { OrdersAppModule } from './app.module.js';
import { CatalogSku } from './catalog/catalog-sku.entity.js';
import { OrdersConfig } from './config/orders-config.js';
import { OrdersSchema1764061000000 } from './migrations/1764061000000-orders-schema.js';
import { LineLimitCounted1764061000001 } from './migrations/1764061000001-line-limit-counted.js';
import { PaymentMismatch1764061000002 } from './migrations/1764061000002-payment-mismatch.js';
import { PlacementRequestAge1764061000003 } from './migrations/1764061000003-placement-request-age.js';
import { ParentOrder } from './order/order.entity.js';
import { OrderLine } from './order/order-line.entity.js';
import { OrderStateChange } from './order/order-state-change.entity.js';
import { SubOrder } from './order/sub-order.entity.js';
import { PlacementRequest } from './placement/placement-request.entity.js';
import { PurchaseTally } from './placement/purchase-tally.entity.js';
import { CouponCode, Promotion } from './promotions/promotion.entity.js';

export const ordersService = defineEventDrivenService<OrdersConfig>({
  name: 'orders',
  config: OrdersConfig,
  publishes: [Topics.orders],
  consumes: [Topics.inventory, Topics.payments],
  entities: [CatalogSku, ParentOrder, OrderLine, SubOrder, OrderStateChange, PlacementRequest, PurchaseTally, Promotion, CouponCode],
  features: [OrdersAppModule],
  migrations: [OrdersSchema1764061000000, LineLimitCounted1764061000001, PaymentMismatch1764061000002, PlacementRequestAge1764061000003],
});
