import { Module } from '@nestjs/common';
import { AfterSalesMetrics } from './after-sales-metrics.js';

/**
 * Provides the service's own metrics once: a second instance would register the same counters
 * on the service's registry again, which prom-client refuses.
 */
@Module({ providers: [AfterSalesMetrics], exports: [AfterSalesMetrics] })
export class MetricsModule {}
