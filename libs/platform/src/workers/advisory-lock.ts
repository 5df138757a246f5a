import type { DataSource } from 'typeorm';

/**
 * The first key of every worker lock (the second is the hash of the worker's name), so worker
 * locks never meet other advisory locks of the database. The migration lock uses the one-key
 * form, which PostgreSQL keeps apart from the two-key form anyway.
 */
export const WORKER_LOCK_CLASS = 7_357_002;

export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `work` only if no other session of this database holds the lock named `name`; otherwise
 * returns at once without running it (never waits).
 *
 * The lock is a transaction-level one (pg_try_advisory_xact_lock) taken in a transaction of its
 * own, on a connection held for as long as `work` runs; `work` does its writes on other
 * connections, in transactions of its own, so its batches commit one by one. Ending the guard
 * transaction is the only way the lock goes, so no path (an error, a failed unlock, a connection
 * handed back to the pool) can leave it held: a session lock would outlive a lost unlock on a
 * pooled connection. The guard transaction takes no snapshot between statements (READ
 * COMMITTED) and writes nothing, so it holds back no vacuum. The server's
 * idle_in_transaction_session_timeout (off by default) must exceed the longest run, or the
 * guard is ended early and another instance may start.
 */
export async function runExclusively<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<ExclusiveOutcome<T>> {
  const guard = dataSource.createQueryRunner();
  await guard.connect();
  try {
    await guard.startTransaction();
    const [{ locked }]: { locked: boolean }[] = await guard.query('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [
      WORKER_LOCK_CLASS,
      name,
    ]);
    if (!locked) return { ran: false };
    return { ran: true, value: await work() };
  } finally {
    // Nothing was written in the guard transaction: rolling it back just lets the lock go.
    if (guard.isTransactionActive) await guard.rollbackTransaction().catch(() => undefined);
    await guard.release();
  }
}
