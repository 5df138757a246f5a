import { randomUUID } from 'node:crypto';
import { dropDatabase, queryDatabase, serviceFetch, startTestService, type TestService } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersService } from '../apps/orders/src/service.js';
import { catalogSku, orderRequest, placeOrder, seedCatalog } from '../apps/orders/src/testing/orders-test-kit.js';

/**
 * A service whose database shuts it out answers 503 with `Retry-After`, not 500: the database is
 * closed to connections and the service's own are ended, as in a restart of PostgreSQL; then it
 * is opened again and the same request goes through, once.
 */
describe('a database outage on real PostgreSQL', () => {
  let orders: TestService;
  const TEA = `outage-tea-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    orders = await startTestService(ordersService);
    await seedCatalog(orders, [catalogSku(TEA)]);
  });

  afterAll(async () => {
    await orders?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  const shutOut = async (open: boolean) => {
    await queryDatabase('postgres', `ALTER DATABASE "${orders.databaseName}" ALLOW_CONNECTIONS ${open}`);
    if (!open) {
      await queryDatabase('postgres', 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [orders.databaseName]);
    }
  };

  it('answers 503 dependency-unavailable while the database is out of reach, counts it, and takes the same request once it is back', async () => {
    expect((await placeOrder(orders, 'alice', orderRequest([{ skuId: TEA, quantity: 1 }]))).status).toBe(201);
    const key = randomUUID();
    await shutOut(false);
    try {
      const refused = await placeOrder(orders, 'alice', orderRequest([{ skuId: TEA, quantity: 2 }]), key);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(await refused.json()).toMatchObject({ type: expect.stringContaining('/dependency-unavailable'), dependency: 'database' });
      const read = await serviceFetch(`${orders.url}/internal/orders/${randomUUID()}`, { headers: { 'x-mallard-buyer': 'alice' } });
      expect(read.status).toBe(503);
      expect((await fetch(`${orders.url}/health/ready`)).status).toBe(503);
      expect((await fetch(`${orders.url}/health/live`)).status).toBe(200);
      const metrics = await (await fetch(`${orders.url}/metrics`)).text();
      const counted = metrics
        .split('\n')
        .filter((line) => line.startsWith('http_dependency_unavailable_total{'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
      expect(counted).toBeGreaterThanOrEqual(2);
      // The service's own pool is on /metrics too (the harness gives it 5 connections).
      expect(metrics).toMatch(/^database_pool_max_connections\{[^}]*\} 5$/m);
      expect(metrics).toMatch(/^database_pool_waiting_requests\{[^}]*\} \d+$/m);
    } finally {
      await shutOut(true);
    }
    const placed = await placeOrder(orders, 'alice', orderRequest([{ skuId: TEA, quantity: 2 }]), key);
    expect(placed.status).toBe(201);
    const rows = await queryDatabase<{ n: number }>(
      orders.databaseName,
      'SELECT count(*)::int AS n FROM parent_order WHERE buyer_id = $1',
      ['alice'],
    );
    expect(rows[0].n).toBe(2);
  });
});
