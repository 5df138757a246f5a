import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StatusChanges } from './status-changes.js';

/** A query runner as far as StatusChanges looks at it: whether a transaction is open, and its data. */
const runner = (isTransactionActive = true) =>
  ({ isTransactionActive, data: {} }) as unknown as QueryRunner & { isTransactionActive: boolean };
const managerOf = (queryRunner?: QueryRunner) => ({ queryRunner }) as unknown as EntityManager;

describe('StatusChanges', () => {
  let changes: StatusChanges;
  let subscriber: EntitySubscriberInterface;
  const commit = (queryRunner: QueryRunner) => subscriber.afterTransactionCommit?.({ queryRunner } as never);
  const rollback = (queryRunner: QueryRunner) => subscriber.afterTransactionRollback?.({ queryRunner } as never);

  beforeEach(() => {
    const dataSource = { subscribers: [] as EntitySubscriberInterface[] };
    changes = new StatusChanges(dataSource as unknown as DataSource);
    changes.onModuleInit();
    [subscriber] = dataSource.subscribers;
  });

  it('tells the order’s listeners once the transaction commits, not before, and once per order', () => {
    const heard = vi.fn();
    const other = vi.fn();
    changes.listen('order-1', heard);
    changes.listen('order-2', other);
    const transaction = runner();
    changes.changed(managerOf(transaction), 'order-1');
    changes.changed(managerOf(transaction), 'order-1');
    expect(heard).not.toHaveBeenCalled();

    // Releasing a savepoint fires the same event while the outer transaction is still open.
    commit(transaction);
    expect(heard).not.toHaveBeenCalled();
    (transaction as { isTransactionActive: boolean }).isTransactionActive = false;
    commit(transaction);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(heard).toHaveBeenCalledWith('order-1');
    expect(other).not.toHaveBeenCalled();
    // The next transaction on the same runner starts with nothing noted.
    commit(transaction);
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it('forgets what a rolled-back transaction changed', () => {
    const heard = vi.fn();
    changes.listen('order-1', heard);
    const transaction = runner();
    changes.changed(managerOf(transaction), 'order-1');
    (transaction as { isTransactionActive: boolean }).isTransactionActive = false;
    rollback(transaction);
    commit(transaction);
    expect(heard).not.toHaveBeenCalled();
  });

  it('tells at once when there is no transaction (the change has committed), and stops telling once unsubscribed', () => {
    const heard = vi.fn();
    const stop = changes.listen('order-1', heard);
    changes.changed(managerOf(undefined), 'order-1');
    expect(heard).toHaveBeenCalledTimes(1);
    stop();
    changes.changed(managerOf(undefined), 'order-1');
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it('keeps telling the other listeners when one of them throws', () => {
    const failing = vi.fn(() => {
      throw new Error('a closed stream');
    });
    const heard = vi.fn();
    changes.listen('order-1', failing);
    changes.listen('order-1', heard);
    changes.changed(managerOf(undefined), 'order-1');
    expect(failing).toHaveBeenCalled();
    expect(heard).toHaveBeenCalled();
  });
});
