import { Counter, Histogram, type Registry } from 'prom-client';

export type WorkerRunOutcome = 'completed' | 'failed' | 'skipped';

/** The metrics every periodic worker of a service shares, told apart by the `worker` label. */
export interface WorkerMetrics {
  /** Runs by outcome: completed, failed (the error is logged) or skipped (another instance held the lock). */
  runs: Counter<'worker' | 'outcome'>;
  /** Items the worker's batches reported handled, failed runs' earlier batches included. */
  items: Counter<'worker'>;
  /** Time from a run's first batch to its end, for completed and failed runs. */
  runSeconds: Histogram<'worker'>;
}

// A registry accepts each metric name once, and a service has several workers: one set per registry.
const metricsByRegistry = new WeakMap<Registry, WorkerMetrics>();

export function workerMetricsFor(registry: Registry): WorkerMetrics {
  let metrics = metricsByRegistry.get(registry);
  if (!metrics) {
    metrics = {
      runs: new Counter({
        name: 'worker_runs_total',
        help: 'Runs of periodic workers by outcome (completed, failed, skipped: another instance held the lock)',
        labelNames: ['worker', 'outcome'],
        registers: [registry],
      }),
      items: new Counter({
        name: 'worker_items_processed_total',
        help: 'Items the batches of periodic workers handled',
        labelNames: ['worker'],
        registers: [registry],
      }),
      runSeconds: new Histogram({
        name: 'worker_run_duration_seconds',
        help: 'Time one run of a periodic worker took, all its batches included',
        labelNames: ['worker'],
        buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
        registers: [registry],
      }),
    };
    metricsByRegistry.set(registry, metrics);
  }
  return metrics;
}
