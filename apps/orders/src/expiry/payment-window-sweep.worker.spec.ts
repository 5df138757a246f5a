import { Registry } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrdersConfig } from '../config/orders-config.js';
import type { ParentOrder } from '../order/parent-order.entity.js';
import type { CloseOutcome, OrderSaga } from '../saga/saga.service.js';
import { PaymentWindowSweepWorker } from './payment-window-sweep.worker.js';

/** A database with `due` unpaid orders past their window; each batch takes the oldest `limit` of what is left. */
function databaseWith(due: number) {
  let left = Array.from({ length: due }, (_, index) => ({ id: `order-${index}`, state: 'AWAITING_PAYMENT' }) as ParentOrder);
  const limits: number[] = [];
  const conditions: string[] = [];
  const manager = {
    getRepository: () => {
      let limit = Number.POSITIVE_INFINITY;
      const query = {
        where: (condition: string) => {
          conditions.push(condition);
          return query;
        },
        andWhere: () => query,
        orderBy: () => query,
        limit: (value: number) => {
          limit = value;
          limits.push(value);
          return query;
        },
        setLock: () => query,
        setOnLocked: () => query,
        getMany: async () => {
          const batch = left.slice(0, limit);
          left = left.slice(limit);
          return batch;
        },
      };
      return { createQueryBuilder: () => query };
    },
  } as unknown as EntityManager;
  const dataSource = { transaction: (work: (manager: EntityManager) => Promise<unknown>) => work(manager) } as unknown as DataSource;
  return { dataSource, limits, conditions };
}

describe('PaymentWindowSweepWorker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const config = { PAYMENT_WINDOW_SWEEP_MS: 1_000, PAYMENT_WINDOW_SWEEP_BATCH_SIZE: 3 } as OrdersConfig;

  it('sweeps every interval in batches of the configured size, reading the unpaid states of the order machine', async () => {
    const { dataSource, limits, conditions } = databaseWith(7);
    const closed: string[] = [];
    const saga = {
      closeUnpaid: async (_manager: EntityManager, orderId: string): Promise<CloseOutcome> => {
        closed.push(orderId);
        return { applied: true, order: {} as ParentOrder, from: 'AWAITING_PAYMENT' };
      },
    } as unknown as OrderSaga;
    const worker = new PaymentWindowSweepWorker(dataSource, saga, config, new Registry());
    worker.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(closed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(limits).toEqual([3, 3, 3]);
    expect(closed).toHaveLength(7);
    // As literals, so the partial index on the unpaid states serves a prepared statement's generic plan too.
    expect(conditions[0]).toBe("o.state IN ('PLACED', 'AWAITING_PAYMENT')");
    await worker.stop();
  });

  it('keeps draining through a batch whose orders were all moved by someone else first', async () => {
    const { dataSource, limits } = databaseWith(7);
    let calls = 0;
    const saga = {
      // The first batch loses every race (shoppers paid meanwhile); the rest close.
      closeUnpaid: async (): Promise<CloseOutcome> =>
        ++calls <= 3
          ? { applied: false, reason: 'LOST_RACE', state: 'PAID' }
          : { applied: true, order: {} as ParentOrder, from: 'AWAITING_PAYMENT' },
    } as unknown as OrderSaga;
    const worker = new PaymentWindowSweepWorker(dataSource, saga, config, new Registry());
    worker.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(limits).toEqual([3, 3, 3]);
    expect(calls).toBe(7);
    await worker.stop();
  });
});
