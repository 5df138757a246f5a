import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { boundCoveringSweeps, registerStuckWorkGauge, STUCK_WORK_COUNT_CAP, type StuckWorkKind } from './stuck-work.js';

const KINDS: StuckWorkKind[] = [
  {
    kind: 'order_paid_not_split',
    boundSeconds: 600,
    query: `SELECT 1 FROM parent_order WHERE paid_at < now() - make_interval(secs => $1)`,
  },
  {
    kind: 'hold_past_expiry',
    boundSeconds: 7_200,
    query: `SELECT 1 FROM order_stock WHERE expires_at < now() - make_interval(secs => $1)`,
  },
];

interface Statement {
  sql: string;
  params?: unknown[];
}

/** A DataSource whose transactions answer each count from `answer`, and record every statement. */
function fakeDataSource(answer: (statement: Statement) => Promise<number>) {
  const statements: Statement[] = [];
  let transactions = 0;
  const dataSource = {
    transaction: async <T>(work: (manager: { query: (sql: string, params?: unknown[]) => Promise<unknown> }) => Promise<T>) => {
      transactions += 1;
      return work({
        query: async (sql: string, params?: unknown[]) => {
          statements.push({ sql, params });
          return sql.startsWith('SET ') ? [] : [{ stuck: await answer({ sql, params }) }];
        },
      });
    },
  } as unknown as DataSource;
  return { dataSource, statements, transactions: () => transactions };
}

const warnings: unknown[] = [];
const logger = { warn: (fields: object) => warnings.push(fields) };

/** The gauge's samples by kind, as a scrape reads them. */
async function scrape(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('stuck_work_items')?.get();
  return Object.fromEntries((metric?.values ?? []).map((sample) => [sample.labels.kind, sample.value]));
}

describe('boundCoveringSweeps', () => {
  it('keeps the setting unless two runs of the sweep take longer', () => {
    expect(boundCoveringSweeps(300, 1_000)).toBe(300);
    expect(boundCoveringSweeps(300, 150_000)).toBe(300);
    expect(boundCoveringSweeps(300, 150_001)).toBe(301);
    expect(boundCoveringSweeps(300, 600_000)).toBe(1_200);
  });
});

describe('stuck_work_items', () => {
  it('counts each kind with its own bound, capped, in one read-only transaction the database cuts off at the budget', async () => {
    const { dataSource, statements } = fakeDataSource(async ({ sql }) => (sql.includes('parent_order') ? 3 : 0));
    const registry = new Registry();
    expect(registerStuckWorkGauge(registry, { dataSource, kinds: KINDS, logger }).registered).toEqual(['stuck_work_items']);

    expect(await scrape(registry)).toEqual({ order_paid_not_split: 3, hold_past_expiry: 0 });
    expect(statements.map((statement) => statement.sql)).toEqual([
      'SET TRANSACTION READ ONLY',
      'SET LOCAL statement_timeout = 2000',
      `SELECT count(*)::int AS stuck FROM (${KINDS[0].query} LIMIT ${STUCK_WORK_COUNT_CAP}) AS items`,
      `SELECT count(*)::int AS stuck FROM (${KINDS[1].query} LIMIT ${STUCK_WORK_COUNT_CAP}) AS items`,
    ]);
    expect(statements.slice(2).map((statement) => statement.params)).toEqual([[600], [7_200]]);
  });

  it('answers within the budget when the database does not, keeping the last figures, and starts no second count meanwhile', async () => {
    let stall = false;
    const hanging: (() => void)[] = [];
    const { dataSource, transactions } = fakeDataSource(async () => {
      if (stall) await new Promise<void>((resolve) => hanging.push(resolve));
      return 5;
    });
    const registry = new Registry();
    registerStuckWorkGauge(registry, { dataSource, kinds: KINDS, logger, budgetMs: 50 });
    expect(await scrape(registry)).toEqual({ order_paid_not_split: 5, hold_past_expiry: 5 });

    stall = true;
    warnings.length = 0;
    const started = Date.now();
    const [first, second] = await Promise.all([scrape(registry), scrape(registry)]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(first).toEqual({ order_paid_not_split: 5, hold_past_expiry: 5 });
    expect(second).toEqual(first);
    expect(warnings).toHaveLength(2);
    // Both scrapes waited for the one count in flight.
    expect(transactions()).toBe(2);

    // Once the stalled count ends, the next scrape counts afresh.
    stall = false;
    for (const resolve of hanging.splice(0)) resolve();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await scrape(registry)).toEqual({ order_paid_not_split: 5, hold_past_expiry: 5 });
    expect(transactions()).toBe(3);
  });

  it('keeps the last figures when the database fails', async () => {
    let failing = false;
    const { dataSource } = fakeDataSource(async () => {
      if (failing) throw new Error('connection refused');
      return 1;
    });
    const registry = new Registry();
    registerStuckWorkGauge(registry, { dataSource, kinds: KINDS, logger });
    expect(await scrape(registry)).toEqual({ order_paid_not_split: 1, hold_past_expiry: 1 });
    failing = true;
    expect(await scrape(registry)).toEqual({ order_paid_not_split: 1, hold_past_expiry: 1 });
  });

  it('registers nothing without kinds, and refuses kinds it could not report', () => {
    const { dataSource } = fakeDataSource(async () => 0);
    const registry = new Registry();
    expect(registerStuckWorkGauge(registry, { dataSource, kinds: [], logger }).registered).toEqual([]);
    expect(registry.getSingleMetric('stuck_work_items')).toBeUndefined();
    const register = (kinds: StuckWorkKind[]) => () => registerStuckWorkGauge(new Registry(), { dataSource, kinds, logger });
    expect(register([KINDS[0], { ...KINDS[1], kind: KINDS[0].kind }])).toThrow(/given twice/);
    expect(register([{ ...KINDS[0], kind: 'Order-Paid' }])).toThrow(/snake_case/);
    expect(register([{ ...KINDS[0], boundSeconds: 0 }])).toThrow(/whole seconds/);
    expect(register([{ ...KINDS[0], query: 'SELECT 1 FROM parent_order' }])).toThrow(/\$1/);
  });
});
