import { Module } from '@nestjs/common';
import { OrdersMetrics } from './orders-metrics.js';

/**
 * Provides the service's own metrics once: a second instance would register the same counters
 * on the service's registry again, which prom-client refuses.
 */
@Module({ providers: [OrdersMetrics], exports: [OrdersMetrics] })
export class MetricsModule {}
