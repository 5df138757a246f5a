import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { ServiceConfig } from './config/service-config.js';
import { DatabaseModule, type DatabaseOptions } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { HttpErrorsModule } from './http/http-errors.module.js';
import { MetricsController } from './metrics/metrics.controller.js';

export interface PlatformOptions extends DatabaseOptions {
  metrics: Registry;
}

/**
 * What every Mallard service has: its validated config, its database, /health and /metrics.
 * Global so feature modules can inject ServiceConfig and the metrics registry directly.
 */
@Module({})
export class PlatformModule {
  static forService(config: ServiceConfig, options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [DatabaseModule.forService(config, options), TerminusModule.forRoot({ logger: false }), DiscoveryModule, HttpErrorsModule],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ServiceConfig, useValue: config },
        { provide: config.constructor, useValue: config },
        { provide: Registry, useValue: options.metrics },
      ],
      exports: [ServiceConfig, config.constructor, Registry, DatabaseModule],
    };
  }
}
