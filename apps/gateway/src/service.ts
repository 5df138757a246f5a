import { defineEventDrivenService } from '@mallard/messaging';
import type { ServiceDefinition } from '@mallard/platform';
import { AdminModule } from './admin/admin.module.js';
import { GatewayConfig } from './config/gateway-config.js';
import { configureGatewayHttp, GatewayEdgeModule } from './edge/index.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsGatewayModule } from './payments/payments.module.js';
import { UpstreamModule } from './upstream/upstream.module.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';
import { PaymentWebhooksModule } from './webhooks/webhooks.module.js';

/** The public edge: it authenticates its own callers (bearer tokens, webhook signatures). */
export const gatewayService: ServiceDefinition<GatewayConfig> = defineEventDrivenService<GatewayConfig>({
  name: 'gateway',
  config: GatewayConfig,
  rawBody: true,
  exposure: 'edge',
  features: (config) => [
    GatewayEdgeModule.forRoot({
      jwtSecret: config.jwtSecret,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      webhookRateLimitPerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
    }),
    UpstreamModule,
    OrdersModule,
    AdminModule,
    PaymentsGatewayModule,
    PaymentWebhooksModule,
    WarehouseModule,
  ],
  beforeListen: (app) => configureGatewayHttp(app),
});
