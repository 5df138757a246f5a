import { type DynamicModule, type INestApplication, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, AuthModule } from '../auth/index.js';
import { type OpenApiOptions, setupOpenApi } from './openapi.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE, rateLimitModule, resolveRateLimit } from './rate-limit.js';
import { installRawMultipart } from './raw-body.js';

export interface GatewayEdgeOptions {
  jwtSecret: string;
  jwtIssuer?: string;
  /** Requests per client per minute; default 6000, 0 turns limiting off. */
  rateLimitPerMinute?: number;
  /** Webhook requests per source IP per minute, in their own bucket; default 6000, 0 = off. */
  webhookRateLimitPerMinute?: number;
}

/**
 * Everything between the internet and a gateway controller: rate limiting, bearer auth and
 * roles. Import once, in the gateway's root module.
 */
@Module({})
export class GatewayEdgeModule {
  static forRoot(options: GatewayEdgeOptions): DynamicModule {
    const perMinute = resolveRateLimit(options.rateLimitPerMinute);
    const webhooksPerMinute = resolveRateLimit(options.webhookRateLimitPerMinute, DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE);
    const limiting = perMinute > 0 || webhooksPerMinute > 0;
    // Global guards run in the order they are provided here: the limiter must see a request
    // before auth can reject it, or anonymous floods would never be counted.
    const guards: Provider[] = [
      ...(limiting ? [{ provide: APP_GUARD, useClass: RateLimitGuard }] : []),
      { provide: APP_GUARD, useExisting: AuthGuard },
    ];
    return {
      module: GatewayEdgeModule,
      imports: [
        AuthModule.forRoot({ secret: options.jwtSecret, issuer: options.jwtIssuer, globalGuard: false }),
        ...(limiting ? [rateLimitModule(perMinute, webhooksPerMinute)] : []),
      ],
      // Validation and problem+json come with every service's PlatformModule (HttpErrorsModule).
      providers: guards,
      exports: [AuthModule],
    };
  }
}

/** Call after NestFactory.create and before listen (ServiceDefinition.beforeListen). */
export function configureGatewayHttp(app: INestApplication, options: OpenApiOptions = {}): void {
  installRawMultipart(app);
  setupOpenApi(app, options);
}
