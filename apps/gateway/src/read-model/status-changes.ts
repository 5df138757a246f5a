import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';

/** The orders whose status or flags a transaction changed, kept on its query runner until it ends. */
const CHANGED_ORDERS = Symbol('read-model:changed-orders');

export type StatusChangeListener = (orderId: string) => void;

/**
 * Tells this process's listeners (the live status streams) that an order's shopper status or
 * flags changed, once the change is committed. Told earlier, a listener would re-read the old
 * row, or push a status that a rollback then takes back (a batch of events that fails is rolled
 * back whole and applied again one by one). Other gateway replicas hear nothing from here: their
 * streams find the change by re-reading on a timer.
 */
@Injectable()
export class StatusChanges implements OnModuleInit {
  private readonly listeners = new Map<string, Set<StatusChangeListener>>();

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pending = (runner: QueryRunner) => runner.data as Record<symbol, Set<string> | undefined>;
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: ({ queryRunner }) => {
        // Releasing a savepoint also counts as a commit for TypeORM: wait for the outermost one.
        if (queryRunner.isTransactionActive) return;
        const changed = pending(queryRunner)[CHANGED_ORDERS];
        delete pending(queryRunner)[CHANGED_ORDERS];
        if (changed) for (const orderId of changed) this.notify(orderId);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        // A savepoint rolled back may have undone some of the changes noted, or none: those
        // listeners are told anyway at the commit, and re-reading finds nothing new.
        if (!queryRunner.isTransactionActive) delete pending(queryRunner)[CHANGED_ORDERS];
      },
    };
    this.dataSource.subscribers.push(subscriber);
  }

  /** Notes, in the transaction that made it, that the order's status or flags changed. */
  changed(manager: EntityManager, orderId: string): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      // No transaction: the statement that changed it has committed already.
      this.notify(orderId);
      return;
    }
    const data = runner.data as Record<symbol, Set<string> | undefined>;
    const changed = data[CHANGED_ORDERS] ?? new Set<string>();
    changed.add(orderId);
    data[CHANGED_ORDERS] = changed;
  }

  /** Calls `listener` after every committed change of the order; returns what stops it. */
  listen(orderId: string, listener: StatusChangeListener): () => void {
    let forOrder = this.listeners.get(orderId);
    if (!forOrder) {
      forOrder = new Set();
      this.listeners.set(orderId, forOrder);
    }
    forOrder.add(listener);
    return () => {
      forOrder.delete(listener);
      if (forOrder.size === 0 && this.listeners.get(orderId) === forOrder) this.listeners.delete(orderId);
    };
  }

  private notify(orderId: string): void {
    for (const listener of this.listeners.get(orderId) ?? []) {
      try {
        listener(orderId);
      } catch {
        // One listener's failure is its own (its stream ends); the commit and the others go on.
      }
    }
  }
}
