import { Module } from '@nestjs/common';
import { LogisticsMetrics } from './logistics-metrics.js';

/**
 * Provides the service's own metrics once: a second instance would register the same counters
 * on the service's registry again, which prom-client refuses.
 */
@Module({ providers: [LogisticsMetrics], exports: [LogisticsMetrics] })
export class MetricsModule {}
