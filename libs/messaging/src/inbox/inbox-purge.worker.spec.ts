import pino from 'pino';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InboxPurgeWorker } from './inbox-purge.worker.js';

describe('InboxPurgeWorker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('purges at start, batch after batch until one comes back short, then waits the interval', async () => {
    const deletedPerBatch = [3, 3, 1];
    const query = vi.fn(async () => [[], deletedPerBatch.shift() ?? 0]);
    const worker = new InboxPurgeWorker(
      { query } as unknown as DataSource,
      { consumerGroup: 'orders', inboxPurge: { retentionDays: 8, intervalMs: 600_000, batchSize: 3 } },
      pino({ level: 'silent' }),
    );
    worker.onApplicationBootstrap();
    await vi.advanceTimersByTimeAsync(0);
    expect(query).toHaveBeenCalledTimes(3);
    expect(query).toHaveBeenLastCalledWith(expect.stringContaining('DELETE FROM inbox_message'), ['orders', 8, 3]);
    await vi.advanceTimersByTimeAsync(599_999);
    expect(query).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(query).toHaveBeenCalledTimes(4);
    await worker.beforeApplicationShutdown();
  });
});
