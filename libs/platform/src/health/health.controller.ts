import { Controller, Get, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { PublicRoute } from '../public-route.js';
import { READINESS_PROBE, type ReadinessCheck } from './readiness-check.js';

@ApiExcludeController()
@PublicRoute()
@Controller('health')
export class HealthController implements OnApplicationBootstrap {
  private checks: ReadinessCheck[] = [];

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    this.checks = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && Reflect.getMetadata(READINESS_PROBE, wrapper.metatype))
      .map((wrapper) => wrapper.instance as ReadinessCheck);
  }

  /** The process is up and its event loop answers; nothing external is consulted. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Only a service that reaches its database and its broker should be sent traffic. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      ...this.checks.map((readiness) => async () => {
        const indicator = this.indicators.check(readiness.name);
        try {
          await readiness.check();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      }),
    ]);
  }
}
