import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/** How the service's connections to its database are used right now. */
export interface PoolState {
  /** The most connections the pool opens (DATABASE_POOL_SIZE). */
  max: number;
  /** Lent out (a transaction or a statement runs on them), or still being opened. */
  busy: number;
  idle: number;
  /** Callers waiting for a connection; they fail after the pool's connect timeout. */
  waiting: number;
}

/** The fields of node-postgres' Pool read here; TypeORM keeps the pool as its driver's `master`. */
interface NodePostgresPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/**
 * The pool's state, or undefined when the data source has no node-postgres pool (not yet
 * initialised, or another driver). A request that waited out the connect timeout reads
 * differently with every connection busy (something holds them, or the server is slow to
 * accept new ones: node-postgres counts a connection from the moment it starts opening it) than
 * with some idle (the process itself was not scheduled).
 */
export function poolStateOf(dataSource: DataSource | undefined): PoolState | undefined {
  const pool = (dataSource?.driver as { master?: Partial<NodePostgresPool> } | undefined)?.master;
  if (typeof pool?.totalCount !== 'number' || typeof pool.idleCount !== 'number' || typeof pool.waitingCount !== 'number') return undefined;
  return {
    max: pool.options?.max ?? 10,
    busy: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  };
}

/** The pool's gauges on /metrics, read from the pool itself when Prometheus scrapes (no query). */
export function registerPoolGauges(registry: Registry, dataSource: DataSource): void {
  new Gauge({
    name: 'database_pool_connections',
    help: "The service's open connections to its database, busy (lent out) or idle",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const state = poolStateOf(dataSource);
      // A closed pool (the service stopping) shows nothing rather than its last figures.
      this.reset();
      if (!state) return;
      this.set({ state: 'busy' }, state.busy);
      this.set({ state: 'idle' }, state.idle);
    },
  });
  new Gauge({
    name: 'database_pool_waiting_requests',
    help: 'Callers waiting for a database connection because every one the pool may open is busy',
    registers: [registry],
    collect() {
      const state = poolStateOf(dataSource);
      if (state) this.set(state.waiting);
    },
  });
  new Gauge({
    name: 'database_pool_max_connections',
    help: 'The most connections the pool opens (DATABASE_POOL_SIZE)',
    registers: [registry],
    collect() {
      const state = poolStateOf(dataSource);
      if (state) this.set(state.max);
    },
  });
}
