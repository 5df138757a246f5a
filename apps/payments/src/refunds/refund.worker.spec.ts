import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PaymentsConfig } from '../config/payments-config.js';
import type { PaymentProviders } from '../providers/payment-providers.js';
import { RefundWorker } from './refund.worker.js';
import type { RefundService } from './refunds.service.js';

const config = { PAYMENTS_WORKER_INTERVAL_MS: 500, REFUND_DISPATCH_BATCH_SIZE: 4, REFUND_MAX_ATTEMPTS: 8 } as PaymentsConfig;

/** A worker whose `sendOne` takes due parts from a counter instead of the database. */
function workerWith(due: number) {
  const worker = new RefundWorker({} as DataSource, {} as PaymentProviders, {} as RefundService, config, new Registry());
  const state = { due, sent: 0, gate: undefined as Promise<void> | undefined };
  vi.spyOn(worker, 'sendOne').mockImplementation(async () => {
    if (state.gate) await state.gate;
    if (state.due === 0) return false;
    state.due -= 1;
    state.sent += 1;
    return true;
  });
  return { worker, state };
}

describe('RefundWorker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends every due part each PAYMENTS_WORKER_INTERVAL_MS, REFUND_DISPATCH_BATCH_SIZE per batch', async () => {
    const { worker, state } = workerWith(10);
    worker.start();
    await vi.advanceTimersByTimeAsync(499);
    expect(state.sent).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.sent).toBe(10);
    // Batches of 4, 4, then 2 (and the look that found nothing more).
    expect(worker.sendOne).toHaveBeenCalledTimes(11);
    await worker.stop();
  });

  it('sends at once when woken by whoever created a part', async () => {
    const { worker, state } = workerWith(0);
    worker.start();
    state.due = 2;
    worker.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.sent).toBe(2);
    await worker.stop();
  });

  it('stops between provider calls on shutdown, not at the end of the batch', async () => {
    const { worker, state } = workerWith(10);
    let open!: () => void;
    state.gate = new Promise((resolve) => {
      open = resolve;
    });
    worker.start();
    worker.wake();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = worker.stop();
    state.gate = undefined;
    open();
    await stopping;
    expect(state.sent).toBe(1);
  });
});
