import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { runExclusively } from './advisory-lock.js';
import { type WorkerMetrics, type WorkerRunOutcome, workerMetricsFor } from './worker-metrics.js';

/**
 * How a worker is scheduled. The numbers come from the service's config class, one pair of
 * settings per job named after it: `<JOB>_INTERVAL_MS` and `<JOB>_BATCH_SIZE` (HOLD_SWEEP_INTERVAL_MS,
 * HOLD_SWEEP_BATCH_SIZE), with the job's own settings beside them (`<JOB>_RETENTION_HOURS`…).
 */
export interface PeriodicWorkerSettings {
  /** The job, kebab-case (`hold-sweep`): the `worker` label of its metrics, its log context, its lock. */
  name: string;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  /** Most items one batch handles; a batch that handles this many is followed at once by another. */
  batchSize: number;
  /** Pause between start and the first run; one interval unless told (0 runs at start). */
  firstRunAfterMs?: number;
  /**
   * One run at a time across every instance of the service (a PostgreSQL advisory lock named
   * after the job); an instance that finds it taken skips that run. Leave off for jobs that
   * share the work safely (FOR UPDATE SKIP LOCKED).
   */
  exclusive?: boolean;
}

/** The two calls a worker logs with; a pino logger is one, and Nest's logger is adapted by default. */
export interface WorkerLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface PeriodicWorkerTools {
  /** The service's registry (injectable as `Registry`); without it the worker records no metrics. */
  metrics?: Registry;
  logger?: WorkerLog;
  /** Needed for `exclusive` workers: the lock lives in their database. */
  dataSource?: DataSource;
}

/**
 * A job run on a timer for the life of the app. A subclass gives `runBatch`; this class runs it
 * batch after batch until a batch comes back short (the backlog is drained), then waits the
 * interval. `wake()` brings the next run forward. A failed run is logged and tried again after
 * the interval; nothing it throws reaches the process. On shutdown (before Nest closes the
 * database) no new run or batch starts and the batch in flight is awaited.
 *
 * Nest calls the lifecycle hooks on a subclass provided as a provider; `start` and `stop` are
 * there for anything else (tests, scripts).
 */
export abstract class PeriodicWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #settings: PeriodicWorkerSettings;
  readonly #log: WorkerLog;
  readonly #metrics?: WorkerMetrics;
  readonly #dataSource?: DataSource;
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  #wokenWhileRunning = false;
  #started = false;
  #stopping = false;

  protected constructor(settings: PeriodicWorkerSettings, tools: PeriodicWorkerTools = {}) {
    if (!Number.isInteger(settings.batchSize) || settings.batchSize < 1)
      throw new Error(`worker ${settings.name}: batchSize must be a positive integer`);
    if (!(settings.intervalMs > 0)) throw new Error(`worker ${settings.name}: intervalMs must be positive`);
    if (settings.exclusive && !tools.dataSource)
      throw new Error(`worker ${settings.name}: an exclusive worker needs the dataSource its lock lives in`);
    this.#settings = { ...settings };
    this.#log = tools.logger ?? nestLog(settings.name);
    this.#metrics = tools.metrics ? workerMetricsFor(tools.metrics) : undefined;
    this.#dataSource = tools.dataSource;
  }

  /**
   * Handles at most `limit` items and says how many it handled; fewer than `limit` means nothing
   * more is due now. Each batch should commit on its own, so a stop between batches loses nothing.
   */
  protected abstract runBatch(limit: number): Promise<number>;

  /** True once a stop began: a batch made of several slow steps checks it between them. */
  protected get stopping(): boolean {
    return this.#stopping;
  }

  /** The log line of a run that handled something; a subclass says it in its own words. */
  protected describeRun(items: number): string {
    return `${this.#settings.name} handled ${items} item(s)`;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stopping = false;
    this.#schedule(this.#settings.firstRunAfterMs ?? this.#settings.intervalMs);
  }

  /** Runs soon: now if idle, right after the run in progress otherwise. Ignored once stopping. */
  wake(): void {
    if (!this.#started || this.#stopping) return;
    if (this.#running) this.#wokenWhileRunning = true;
    else this.#schedule(0);
  }

  /** No run or batch starts after this; resolves once the one in flight has finished. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#started = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), delayMs);
    // A pending run never keeps the process alive on its own.
    this.#timer.unref();
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopping || this.#running) return;
    this.#running = this.#runOnce().finally(() => {
      this.#running = undefined;
      if (this.#stopping) return;
      const again = this.#wokenWhileRunning;
      this.#wokenWhileRunning = false;
      this.#schedule(again ? 0 : this.#settings.intervalMs);
    });
  }

  /** One run, its lock, its metrics and its log line. Never rejects. */
  async #runOnce(): Promise<void> {
    const { name } = this.#settings;
    const startedAt = performance.now();
    const progress = { items: 0 };
    let outcome: WorkerRunOutcome;
    try {
      if (this.#settings.exclusive) {
        const exclusive = await runExclusively(this.#dataSource!, `worker:${name}`, () => this.#drain(progress));
        outcome = exclusive.ran ? 'completed' : 'skipped';
      } else {
        await this.#drain(progress);
        outcome = 'completed';
      }
    } catch (error) {
      outcome = 'failed';
      this.#safely(() =>
        this.#log.warn(
          { worker: name, err: error, items: progress.items },
          `${name} failed; trying again in ${this.#settings.intervalMs} ms`,
        ),
      );
    }
    const seconds = (performance.now() - startedAt) / 1000;
    this.#metrics?.runs.inc({ worker: name, outcome });
    if (outcome !== 'skipped') this.#metrics?.runSeconds.observe({ worker: name }, seconds);
    if (outcome === 'completed' && progress.items > 0)
      this.#safely(() =>
        this.#log.info({ worker: name, items: progress.items, durationMs: Math.round(seconds * 1000) }, this.describeRun(progress.items)),
      );
  }

  async #drain(progress: { items: number }): Promise<void> {
    const { batchSize, name } = this.#settings;
    for (;;) {
      const handled = await this.runBatch(batchSize);
      progress.items += handled;
      if (handled > 0) this.#metrics?.items.inc({ worker: name }, handled);
      if (handled < batchSize || this.#stopping) return;
    }
  }

  #safely(write: () => void): void {
    try {
      write();
    } catch {
      // A log that cannot be written must not stop the worker.
    }
  }
}

function nestLog(context: string): WorkerLog {
  const logger = new Logger(context);
  return {
    info: (fields, message) => logger.log({ ...fields, msg: message }),
    warn: (fields, message) => logger.warn({ ...fields, msg: message }),
  };
}
