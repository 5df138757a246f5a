import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, withDatabase } from '../database/ensure-database.js';
import { PeriodicWorker, type PeriodicWorkerSettings } from './periodic-worker.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `worker_lock_${randomBytes(4).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts how many batches of the job run at once, across every worker sharing `job`. */
class BatchCounter {
  active = 0;
  mostAtOnce = 0;
  batches = 0;
}

class CountingWorker extends PeriodicWorker {
  readonly registry: Registry;
  /** While set, a batch waits for it: the test holds the lock as long as it likes. */
  gate?: Promise<void>;
  batchStarted = false;

  constructor(
    dataSource: DataSource,
    private readonly job: BatchCounter,
    settings: Partial<PeriodicWorkerSettings> = {},
    registry = new Registry(),
  ) {
    super(
      { name: 'lock-test', intervalMs: 60_000, batchSize: 5, exclusive: true, ...settings },
      { dataSource, metrics: registry, logger: { info: () => undefined, warn: () => undefined } },
    );
    this.registry = registry;
  }

  protected async runBatch(): Promise<number> {
    this.batchStarted = true;
    this.job.active += 1;
    this.job.batches += 1;
    this.job.mostAtOnce = Math.max(this.job.mostAtOnce, this.job.active);
    try {
      await (this.gate ?? sleep(20));
      return 0;
    } finally {
      this.job.active -= 1;
    }
  }

  async runs(outcome: string): Promise<number> {
    const found = (await this.registry.getMetricsAsJSON()).find((entry) => entry.name === 'worker_runs_total');
    return found?.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('exclusive PeriodicWorker (PostgreSQL advisory lock)', () => {
  // Two replicas of one service: two pools on the same database.
  let first: DataSource;
  let second: DataSource;

  beforeAll(async () => {
    await ensureDatabase(serverUrl, databaseName);
    const options = { type: 'postgres' as const, url: withDatabase(serverUrl, databaseName), extra: { max: 4 } };
    first = await new DataSource(options).initialize();
    second = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await Promise.all([first?.destroy(), second?.destroy()]);
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await client.end();
  });

  it('skips a run while another instance holds the lock, and runs once it is let go', async () => {
    const job = new BatchCounter();
    const holder = new CountingWorker(first, job);
    const other = new CountingWorker(second, job);
    let open!: () => void;
    holder.gate = new Promise((resolve) => {
      open = resolve;
    });
    holder.start();
    other.start();

    holder.wake();
    await until(() => holder.batchStarted);
    other.wake();
    await until(async () => (await other.runs('skipped')) === 1);
    expect(other.batchStarted).toBe(false);

    open();
    await until(async () => (await holder.runs('completed')) === 1);
    other.wake();
    await until(async () => (await other.runs('completed')) === 1);
    expect(other.batchStarted).toBe(true);
    expect(job.mostAtOnce).toBe(1);
    await Promise.all([holder.stop(), other.stop()]);
  });

  it('lets only one of two instances run a batch at a time, however their runs fall', async () => {
    const job = new BatchCounter();
    const workers = [
      new CountingWorker(first, job, { intervalMs: 5, firstRunAfterMs: 0 }),
      new CountingWorker(second, job, { intervalMs: 5, firstRunAfterMs: 0 }),
    ];
    for (const worker of workers) worker.start();
    await sleep(1_500);
    await Promise.all(workers.map((worker) => worker.stop()));
    const skipped = (await workers[0].runs('skipped')) + (await workers[1].runs('skipped'));
    expect(job.batches).toBeGreaterThan(5);
    expect(skipped).toBeGreaterThan(0);
    expect(job.mostAtOnce).toBe(1);
  });

  it('lets workers of different jobs run side by side', async () => {
    const job = new BatchCounter();
    const sweep = new CountingWorker(first, job, { name: 'lock-test-a' });
    const purge = new CountingWorker(second, job, { name: 'lock-test-b' });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    sweep.gate = gate;
    purge.gate = gate;
    sweep.start();
    purge.start();
    sweep.wake();
    purge.wake();
    await until(() => job.active === 2);
    open();
    await Promise.all([sweep.stop(), purge.stop()]);
    expect(await purge.runs('skipped')).toBe(0);
  });
});
