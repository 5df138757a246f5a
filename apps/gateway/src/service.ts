import { EVENT_TOPICS } from '@mallard/contracts';
import { defineEventDrivenService } from '@mallard/messaging';
import type { ServiceDefinition } from '@mallard/platform';
import { GatewayAppModule } from './app.module.js';
import { GatewayConfig } from './config/gateway-config.js';
import { configureGatewayHttp, GatewayEdgeModule } from './http/index.js';

/** The public edge: it authenticates its own callers (bearer tokens, webhook signatures). */
export const gatewayService: ServiceDefinition<GatewayConfig> = {
  ...defineEventDrivenService<GatewayConfig>({
    name: 'gateway',
    module: GatewayAppModule,
    config: GatewayConfig,
    consumes: [...EVENT_TOPICS],
    rawBody: true,
    imports: (config) => [
      GatewayEdgeModule.forRoot({
        jwtSecret: config.jwtSecret,
        rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
        webhookRateLimitPerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      }),
    ],
    beforeListen: (app) => configureGatewayHttp(app),
  }),
  exposure: 'edge',
};
