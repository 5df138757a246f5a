import { Topics } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import type { ServiceDefinition } from '@mallard/platform';
import { AdminModule } from './admin/admin.module.js';
import { AfterSalesModule } from './after-sales/after-sales.module.js';
import { GatewayConfig } from './config/gateway-config.js';
import { setupConsole } from './console/console.js';
import { configureGatewayHttp, GatewayEdgeModule } from './edge/index.js';
import { InvoicesModule } from './invoices/invoices.module.js';
import { GatewayReadModel1764500000000 } from './migrations/1764500000000-read-model.js';
import { GatewayOrderViewsByStatus1764500000010 } from './migrations/1764500000010-order-views-by-status.js';
import { GatewayReadModelRebuilds1764500000011 } from './migrations/1764500000011-read-model-rebuilds.js';
import { GatewayInterception1764500000020 } from './migrations/1764500000020-interception-in-read-model.js';
import { GatewayCompletionAndExceptions1764500000021 } from './migrations/1764500000021-completion-and-exceptions.js';
import { GatewayAfterSales1764500000030 } from './migrations/1764500000030-after-sales-in-read-model.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsGatewayModule } from './payments/payments.module.js';
import { AfterSalesView } from './read-model/after-sales-view.entity.js';
import { OrderView } from './read-model/order-view.entity.js';
import { ParcelView } from './read-model/parcel-view.entity.js';
import { ReadModelModule } from './read-model/read-model.module.js';
import { RefundView } from './read-model/refund-view.entity.js';
import { SubOrderView } from './read-model/sub-order-view.entity.js';
import { StatusStreamModule } from './status-stream/status-stream.module.js';
import { UpstreamModule } from './upstream/upstream.module.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';
import { PaymentWebhooksModule } from './webhooks/webhooks.module.js';

/** The topics the read model of orders (the shopper's one status) is made of. */
export const GATEWAY_CONSUMES = [Topics.orders, Topics.payments, Topics.logistics, Topics.afterSales];

/** The public edge: it authenticates its own callers (bearer tokens, webhook signatures). */
export const gatewayService: ServiceDefinition<GatewayConfig> = defineEventDrivenService<GatewayConfig>({
  name: 'gateway',
  config: GatewayConfig,
  rawBody: true,
  exposure: 'edge',
  consumes: GATEWAY_CONSUMES,
  entities: [OrderView, SubOrderView, ParcelView, RefundView, AfterSalesView],
  migrations: [
    GatewayReadModel1764500000000,
    GatewayOrderViewsByStatus1764500000010,
    GatewayReadModelRebuilds1764500000011,
    GatewayInterception1764500000020,
    GatewayCompletionAndExceptions1764500000021,
    GatewayAfterSales1764500000030,
  ],
  features: (config) => [
    GatewayEdgeModule.forRoot({
      jwtSecret: config.jwtSecret,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      webhookRateLimitPerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    }),
    UpstreamModule,
    ReadModelModule,
    OrdersModule,
    InvoicesModule,
    StatusStreamModule,
    AdminModule,
    PaymentsGatewayModule,
    PaymentWebhooksModule,
    WarehouseModule,
    AfterSalesModule,
  ],
  beforeListen: (app) => {
    configureGatewayHttp(app);
    setupConsole(app);
  },
});
