import { Registry } from 'prom-client';
import { DataSource, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolStateOf, registerPoolGauges } from './pool-state.js';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('DATABASE_URL must be set (test/global-setup.ts does it)');

describe('the database pool as /metrics and outage logs show it, on real PostgreSQL', () => {
  const dataSource = new DataSource({ type: 'postgres', url: serverUrl, poolSize: 2 });
  const registry = new Registry();

  beforeAll(async () => {
    await dataSource.initialize();
    registerPoolGauges(registry, dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const gauge = async (name: string) => {
    const metrics = await registry.metrics();
    return metrics
      .split('\n')
      .filter((line) => line.startsWith(name))
      .map((line) => line.split(' ').at(-1))
      .join(',');
  };

  it('reads busy, idle and waiting from the pool, before and after every connection is lent out', async () => {
    expect(poolStateOf(undefined)).toBeUndefined();
    expect(poolStateOf(dataSource)).toMatchObject({ max: 2, busy: 0, waiting: 0 });

    const held: QueryRunner[] = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
    for (const runner of held) await runner.connect();
    // A third caller finds both lent out and queues until one comes back.
    const third = dataSource.query('SELECT 3 AS n');
    await expect.poll(() => poolStateOf(dataSource)?.waiting).toBe(1);
    expect(poolStateOf(dataSource)).toEqual({ max: 2, busy: 2, idle: 0, waiting: 1 });
    expect(await gauge('database_pool_connections{state="busy"}')).toBe('2');
    expect(await gauge('database_pool_connections{state="idle"}')).toBe('0');
    expect(await gauge('database_pool_waiting_requests')).toBe('1');
    expect(await gauge('database_pool_max_connections')).toBe('2');

    await held[0].release();
    expect(await third).toEqual([{ n: 3 }]);
    await held[1].release();
    expect(poolStateOf(dataSource)).toEqual({ max: 2, busy: 0, idle: 2, waiting: 0 });
    expect(await gauge('database_pool_waiting_requests')).toBe('0');
  });
});
