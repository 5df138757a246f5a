/**
 * An open after-sales case holds a delivered order back from COMPLETED, on real Kafka and
 * PostgreSQL: with a window of 0 days the order is due at once, yet the completion sweep leaves it
 * alone while a case is open, and the case's end completes it with no sweep needed.
 */
import { randomUUID } from 'node:crypto';
import { afterSalesRejected, afterSalesRequested } from '@mallard/contracts';
import { dropDatabase, eventually, startTestService, type TestService, uniqueSuffix } from '@mallard/testing';
import type { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayService } from '../service.js';
import { OrderEvents, orderViews } from '../testing/read-model-test-kit.js';

describe('the completion of a delivered order with an after-sales case open', () => {
  let gateway: TestService;

  beforeAll(async () => {
    gateway = await startTestService(gatewayService, {
      RATE_LIMIT_PER_MINUTE: '0',
      AFTER_SALES_WINDOW_DAYS: '0',
      COMPLETION_SWEEP_INTERVAL_MS: '100',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    if (gateway) await dropDatabase(gateway.databaseName);
  });

  const swept = async (): Promise<number> => {
    const items = gateway.runtime.metrics.getSingleMetric('worker_items_processed_total') as Counter<'worker'> | undefined;
    return (await items?.get())?.values.find((value) => value.labels.worker === 'completion-sweep')?.value ?? 0;
  };

  it('stays DELIVERED, unswept, while the case is open, and completes when it ends', async () => {
    const order = new OrderEvents(`completion-buyer-${uniqueSuffix()}`);
    const row = async () => (await orderViews(gateway.databaseName, [order.orderId])).get(order.orderId);
    const request = randomUUID();
    await order.placed();
    await order.paid();
    await order.split(1);
    await order.subOrder(0, 'SHIPPED', 1);
    await order.afterSales(afterSalesRequested, request, 'REQUESTED', 1);
    await order.parcel('only', 0, 'DELIVERED', 2);
    expect(await eventually(row, (now) => now?.shopper_status === 'DELIVERED' && now.after_sales_flag)).toMatchObject({
      shopper_status: 'DELIVERED',
      after_sales_flag: true,
    });

    // Due since its delivery, but not the sweep's to complete: several sweeps pass it by.
    const before = await swept();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await swept()).toBe(before);
    expect((await row())?.shopper_status).toBe('DELIVERED');

    await order.afterSales(afterSalesRejected, request, 'REJECTED', 2);
    expect(await eventually(row, (now) => now?.shopper_status === 'COMPLETED')).toMatchObject({ after_sales_flag: false });
  });
});
