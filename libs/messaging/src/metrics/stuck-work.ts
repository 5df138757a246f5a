import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { SCRAPE_BUDGET_MS, withTimeout } from './scrape-budget.js';

/**
 * A count stops here: past it the figure only says "many", and a scrape reads at most this many
 * index entries per kind however large the backlog grows.
 */
export const STUCK_WORK_COUNT_CAP = 10_000;

/**
 * One kind of work a service owns that should have moved on by now: items in a non-terminal
 * state for longer than the kind's bound (docs/operations.md, "Stuck work").
 */
export interface StuckWorkKind {
  /** The `kind` label, snake_case: what is stuck (`order_paid_not_split`). */
  kind: string;
  /** How long an item may wait before it counts, in seconds: the kind's documented bound. */
  boundSeconds: number;
  /**
   * The stuck items as a SELECT (of any column), `$1` being `boundSeconds`. It runs on every
   * scrape, so an index must serve it: usually a partial one on the non-terminal state.
   */
  query: string;
}

export interface StuckWorkSources {
  dataSource: DataSource;
  kinds: readonly StuckWorkKind[];
  logger: { warn(fields: object, message: string): void };
  /** How long a scrape waits for the counts; the messaging gauges' budget unless told. */
  budgetMs?: number;
}

/**
 * A bound never shorter than two runs of the job that should clear the items: an item that falls
 * due just after one run waits a whole interval for the next, and that run takes time too.
 */
export function boundCoveringSweeps(boundSeconds: number, sweepIntervalMs: number): number {
  return Math.max(boundSeconds, Math.ceil((2 * sweepIntervalMs) / 1_000));
}

/**
 * `stuck_work_items{kind}`, measured when Prometheus scrapes: one capped COUNT per kind, in one
 * read-only transaction that PostgreSQL cancels once the scrape stops waiting. A measurement that
 * fails or takes longer than the budget keeps the last figures and is logged; the scrape itself
 * never fails for it. Nothing is registered for a service without kinds.
 */
export function registerStuckWorkGauge(registry: Registry, sources: StuckWorkSources): { registered: string[] } {
  const { dataSource, kinds, logger } = sources;
  const budgetMs = sources.budgetMs ?? SCRAPE_BUDGET_MS;
  if (kinds.length === 0) return { registered: [] };
  checkKinds(kinds);
  // One measurement at a time: a scrape that comes while one runs waits for that one, so a slow
  // database never piles up counting transactions on the service's pool.
  let measuring: Promise<Map<string, number>> | undefined;
  const measure = () => {
    measuring ??= countStuck(dataSource, kinds, budgetMs).finally(() => {
      measuring = undefined;
    });
    return measuring;
  };
  new Gauge({
    name: 'stuck_work_items',
    help: `Items of work in a non-terminal state for longer than their kind's bound (docs/operations.md, "Stuck work"), counted up to ${STUCK_WORK_COUNT_CAP}`,
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      try {
        for (const [kind, count] of await withTimeout(measure(), budgetMs)) this.set({ kind }, count);
      } catch (error) {
        logger.warn({ err: error }, 'stuck work not measured');
      }
    },
  });
  return { registered: ['stuck_work_items'] };
}

function checkKinds(kinds: readonly StuckWorkKind[]): void {
  const seen = new Set<string>();
  for (const { kind, boundSeconds, query } of kinds) {
    if (!/^[a-z][a-z0-9_]*$/.test(kind)) throw new Error(`stuck work kind "${kind}" must be snake_case`);
    if (seen.has(kind)) throw new Error(`stuck work kind "${kind}" is given twice`);
    seen.add(kind);
    if (!Number.isInteger(boundSeconds) || boundSeconds < 1)
      throw new Error(`stuck work kind ${kind}: the bound must be whole seconds, at least 1`);
    if (!query.includes('$1')) throw new Error(`stuck work kind ${kind}: its query must compare with the bound ($1)`);
  }
}

async function countStuck(dataSource: DataSource, kinds: readonly StuckWorkKind[], budgetMs: number): Promise<Map<string, number>> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SET TRANSACTION READ ONLY');
    // Counting on after the scrape gave up would only hold a connection for nobody.
    await manager.query(`SET LOCAL statement_timeout = ${Math.ceil(budgetMs)}`);
    const counts = new Map<string, number>();
    for (const { kind, boundSeconds, query } of kinds) {
      const [row] = (await manager.query(`SELECT count(*)::int AS stuck FROM (${query} LIMIT ${STUCK_WORK_COUNT_CAP}) AS items`, [
        boundSeconds,
      ])) as { stuck: number }[];
      counts.set(kind, row.stuck);
    }
    return counts;
  });
}
