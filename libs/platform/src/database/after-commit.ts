import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

const PENDING = Symbol('after-commit');

interface Pending {
  /** Transactions open on the query runner: 1 for the outermost, one more per savepoint. */
  depth: number;
  callbacks: { depth: number; run: () => void }[];
}

const slot = (runner: QueryRunner) => runner.data as Record<symbol, Pending | undefined>;

/**
 * Keeps the callbacks of each transaction on its query runner and runs them when the outermost
 * transaction commits. TypeORM reports a savepoint released as a commit and a savepoint rolled
 * back as a rollback: what was asked inside a savepoint rolled back is dropped, what was asked
 * inside one released waits for the commit around it.
 */
const SUBSCRIBER: EntitySubscriberInterface = {
  afterTransactionStart: ({ queryRunner }) => {
    const pending = slot(queryRunner)[PENDING] ?? { depth: 0, callbacks: [] };
    pending.depth += 1;
    slot(queryRunner)[PENDING] = pending;
  },
  afterTransactionCommit: ({ queryRunner }) => {
    const pending = slot(queryRunner)[PENDING];
    if (!pending) return;
    pending.depth -= 1;
    if (queryRunner.isTransactionActive) {
      for (const callback of pending.callbacks) callback.depth = Math.min(callback.depth, pending.depth);
      return;
    }
    delete slot(queryRunner)[PENDING];
    for (const callback of pending.callbacks) {
      try {
        callback.run();
      } catch {
        // The transaction has committed: a callback failing now must not make its caller believe
        // otherwise (a consumer would apply the event again), nor keep the others from running.
      }
    }
  },
  afterTransactionRollback: ({ queryRunner }) => {
    const pending = slot(queryRunner)[PENDING];
    if (!pending) return;
    pending.depth -= 1;
    if (queryRunner.isTransactionActive) pending.callbacks = pending.callbacks.filter((callback) => callback.depth <= pending.depth);
    else delete slot(queryRunner)[PENDING];
  },
};

/** Lets `afterCommit` work on the data source's transactions; DatabaseModule does it for every service. */
export function registerAfterCommit(dataSource: DataSource): void {
  if (!dataSource.subscribers.includes(SUBSCRIBER)) dataSource.subscribers.push(SUBSCRIBER);
}

/**
 * Runs `callback` once the transaction `manager` works in has committed, and never if it rolls
 * back; outside a transaction, at once (what was written is committed already). For what must
 * happen once per committed change and cannot be undone, such as a counter going up: a
 * transaction that is rolled back and tried again (a consumer's batch applied again event by
 * event, a retry after a lock conflict) then counts once. If the COMMIT itself fails, as when
 * the connection drops during it, the callback does not run even though PostgreSQL may have
 * committed: a counter may miss that one, never count one twice. A transaction whose statement
 * failed and was caught ends in a ROLLBACK that PostgreSQL answers to the COMMIT; TypeORM reports
 * it as a commit, so callers let such a failure end the transaction (as every service does).
 */
export function afterCommit(manager: EntityManager, callback: () => void): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    callback();
    return;
  }
  const pending = slot(runner)[PENDING];
  if (!pending) {
    throw new Error('afterCommit: this transaction was started on a data source without registerAfterCommit (DatabaseModule registers it)');
  }
  pending.callbacks.push({ depth: pending.depth, run: callback });
}
