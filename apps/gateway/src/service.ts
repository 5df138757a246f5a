import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import type { ServiceDefinition } from '@mallard/platform';
import { AdminModule } from './admin/admin.module.js';
import { GatewayConfig } from './config/gateway-config.js';
import { configureGatewayHttp, GatewayEdgeModule } from './edge/index.js';
import { GatewayReadModel1764500000000 } from './migrations/1764500000000-read-model.js';
import { GatewayInterception1764500000020 } from './migrations/1764500000020-interception-in-read-model.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsGatewayModule } from './payments/payments.module.js';
import { OrderView } from './read-model/order-view.entity.js';
import { ParcelView } from './read-model/parcel-view.entity.js';
import { ReadModelModule } from './read-model/read-model.module.js';
import { RefundView } from './read-model/refund-view.entity.js';
import { SubOrderView } from './read-model/sub-order-view.entity.js';
import { UpstreamModule } from './upstream/upstream.module.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';
import { PaymentWebhooksModule } from './webhooks/webhooks.module.js';

/** The public edge: it authenticates its own callers (bearer tokens, webhook signatures). */
export const gatewayService: ServiceDefinition<GatewayConfig> = defineEventDrivenService<GatewayConfig>({
  name: 'gateway',
  config: GatewayConfig,
  rawBody: true,
  exposure: 'edge',
  // The read model of orders (the shopper's one status) is made of these services' events.
  consumes: [Topics.orders, Topics.payments, Topics.logistics],
  entities: [OrderView, SubOrderView, ParcelView, RefundView],
  migrations: [GatewayReadModel1764500000000, GatewayInterception1764500000020],
  features: (config) => [
    GatewayEdgeModule.forRoot({
      jwtSecret: config.jwtSecret,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      webhookRateLimitPerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    }),
    UpstreamModule,
    ReadModelModule,
    OrdersModule,
    AdminModule,
    PaymentsGatewayModule,
    PaymentWebhooksModule,
    WarehouseModule,
  ],
  beforeListen: (app) => configureGatewayHttp(app),
});
