import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeriodicWorker, type PeriodicWorkerSettings, type WorkerLog } from './periodic-worker.js';

/** A worker whose batches are scripted: each call takes the next count (or error) from `plan`. */
class ScriptedWorker extends PeriodicWorker {
  readonly limits: number[] = [];
  plan: (number | Error)[] = [];
  /** When set, a batch waits for it before answering. */
  gate?: Promise<void>;

  constructor(
    settings: Partial<PeriodicWorkerSettings>,
    readonly registry = new Registry(),
    readonly log = recordingLog(),
  ) {
    super({ name: 'scripted', intervalMs: 1_000, batchSize: 10, ...settings }, { metrics: registry, logger: log });
  }

  protected async runBatch(limit: number): Promise<number> {
    this.limits.push(limit);
    if (this.gate) await this.gate;
    const next = this.plan.shift() ?? 0;
    if (next instanceof Error) throw next;
    return next;
  }
}

function recordingLog(): WorkerLog & { infos: string[]; warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return { infos, warnings, info: (_fields, message) => infos.push(message), warn: (_fields, message) => warnings.push(message) };
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const found = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const value = found?.values.find((entry) => Object.entries(labels).every(([key, wanted]) => entry.labels[key] === wanted));
  return value?.value ?? 0;
}

describe('PeriodicWorker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('first runs one interval after start, then one interval after each run ends', async () => {
    const worker = new ScriptedWorker({});
    worker.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(worker.limits).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(worker.limits).toEqual([10]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(worker.limits).toHaveLength(3);
    await worker.stop();
  });

  it('runs at start when told to', async () => {
    const worker = new ScriptedWorker({ firstRunAfterMs: 0 });
    worker.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.limits).toHaveLength(1);
    await worker.stop();
  });

  it('drains: full batches are followed at once by another, until one comes back short', async () => {
    const worker = new ScriptedWorker({});
    worker.plan = [10, 10, 3, 10];
    worker.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(worker.limits).toEqual([10, 10, 10]);
    expect(worker.log.infos).toEqual(['scripted handled 23 item(s)']);
    expect(await metric(worker.registry, 'worker_items_processed_total', { worker: 'scripted' })).toBe(23);
    expect(await metric(worker.registry, 'worker_runs_total', { worker: 'scripted', outcome: 'completed' })).toBe(1);
    await worker.stop();
  });

  it('logs a failed run, counts it and tries again after the interval', async () => {
    const worker = new ScriptedWorker({});
    worker.plan = [10, new Error('database went away'), 2];
    worker.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(worker.log.warnings).toEqual(['scripted failed; trying again in 1000 ms']);
    expect(await metric(worker.registry, 'worker_runs_total', { worker: 'scripted', outcome: 'failed' })).toBe(1);
    expect(await metric(worker.registry, 'worker_items_processed_total', { worker: 'scripted' })).toBe(10);
    await vi.advanceTimersByTimeAsync(999);
    expect(worker.limits).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(worker.limits).toHaveLength(3);
    expect(await metric(worker.registry, 'worker_runs_total', { worker: 'scripted', outcome: 'completed' })).toBe(1);
    await worker.stop();
  });

  it('wake() runs now when idle, instead of waiting for the interval', async () => {
    const worker = new ScriptedWorker({ intervalMs: 60_000 });
    worker.start();
    worker.wake();
    worker.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.limits).toHaveLength(1);
    // The interval counts again from the end of the woken run.
    await vi.advanceTimersByTimeAsync(59_999);
    expect(worker.limits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(worker.limits).toHaveLength(2);
    await worker.stop();
  });

  it('wake() during a run runs once more right after it, never two runs at once', async () => {
    const worker = new ScriptedWorker({ intervalMs: 60_000 });
    let open!: () => void;
    worker.gate = new Promise((resolve) => {
      open = resolve;
    });
    worker.start();
    worker.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.limits).toHaveLength(1);
    worker.wake();
    worker.wake();
    await vi.advanceTimersByTimeAsync(10);
    expect(worker.limits).toHaveLength(1);
    worker.gate = undefined;
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.limits).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(worker.limits).toHaveLength(2);
    await worker.stop();
  });

  it('stop() waits for the batch in flight, starts no further batch and no further run', async () => {
    const worker = new ScriptedWorker({});
    worker.plan = [10, 10, 10];
    let open!: () => void;
    worker.gate = new Promise((resolve) => {
      open = resolve;
    });
    worker.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(worker.limits).toHaveLength(1);

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    worker.wake();
    open();
    await stopping;
    // The full batch in flight would have been followed by another, but the worker is stopping.
    expect(worker.limits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(worker.limits).toHaveLength(1);
  });

  it('is stopped by Nest before the database closes (beforeApplicationShutdown) and started at bootstrap', async () => {
    const worker = new ScriptedWorker({ firstRunAfterMs: 0 });
    worker.onApplicationBootstrap();
    await vi.advanceTimersByTimeAsync(0);
    expect(worker.limits).toHaveLength(1);
    await worker.beforeApplicationShutdown();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(worker.limits).toHaveLength(1);
  });

  it('shares one set of metrics between the workers of a registry', async () => {
    const registry = new Registry();
    const first = new ScriptedWorker({ name: 'first', firstRunAfterMs: 0 }, registry);
    const second = new ScriptedWorker({ name: 'second', firstRunAfterMs: 0 }, registry);
    first.plan = [4];
    second.plan = [6];
    first.start();
    second.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(await metric(registry, 'worker_items_processed_total', { worker: 'first' })).toBe(4);
    expect(await metric(registry, 'worker_items_processed_total', { worker: 'second' })).toBe(6);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('refuses settings it cannot run with', () => {
    expect(() => new ScriptedWorker({ batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new ScriptedWorker({ intervalMs: 0 })).toThrow(/intervalMs/);
    expect(() => new ScriptedWorker({ exclusive: true })).toThrow(/dataSource/);
  });
});
