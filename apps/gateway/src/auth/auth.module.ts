import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { type AccessTokenOptions, AccessTokens } from './access-token.js';
import { AuthGuard } from './auth.guard.js';
import { BearerAuthenticator } from './bearer-authenticator.js';
import { installCallerContext } from './caller-context.js';

export interface AuthModuleOptions extends AccessTokenOptions {
  /**
   * Installs AuthGuard as a global guard (the default). A module that must order it after
   * another global guard (the gateway edge puts rate limiting first) passes false and
   * registers `{ provide: APP_GUARD, useExisting: AuthGuard }` itself.
   */
  globalGuard?: boolean;
}

@Module({})
export class AuthModule implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  /** Before the server listens: every request gets its caller holder (see caller-context.ts). */
  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (instance && typeof instance.addHook === 'function') installCallerContext(instance);
  }

  /** The secret comes from the caller's config (see jwtSecretFromEnv); a short one throws here, at startup. */
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const tokens = new AccessTokens({ secret: options.secret, issuer: options.issuer });
    return {
      module: AuthModule,
      providers: [
        { provide: AccessTokens, useValue: tokens },
        BearerAuthenticator,
        AuthGuard,
        ...(options.globalGuard === false ? [] : [{ provide: APP_GUARD, useExisting: AuthGuard }]),
      ],
      exports: [AccessTokens, BearerAuthenticator, AuthGuard],
    };
  }
}
