import { randomUUID } from 'node:crypto';
import { dropDatabase, eventually, queryDatabase, startTestService, type TestService } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersService } from '../service.js';

describe('orders: the placement request retention purge, on real PostgreSQL', () => {
  let orders: TestService;

  beforeAll(async () => {
    orders = await startTestService(ordersService, {
      PLACEMENT_REQUEST_RETENTION_HOURS: '48',
      PLACEMENT_REQUEST_PURGE_INTERVAL_MS: '100',
      PLACEMENT_REQUEST_PURGE_BATCH_SIZE: '2',
    });
  });

  afterAll(async () => {
    await orders?.stop();
    if (orders) await dropDatabase(orders.databaseName);
  });

  const insert = (key: string, ageHours: number) =>
    queryDatabase(
      orders.databaseName,
      `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference, created_at)
       VALUES ('place-order', 'buyer-purge', $1, 'hash', $2, now() - make_interval(hours => $3))`,
      [key, randomUUID(), ageHours],
    );

  it('deletes, batch by batch, the placement requests older than the retention and keeps the rest', async () => {
    for (let index = 0; index < 5; index += 1) await insert(`old-${index}`, 49 + index);
    await insert('recent', 47);
    await insert('new', 0);
    const keys = await eventually(
      async () =>
        (
          await queryDatabase<{ request_key: string }>(
            orders.databaseName,
            `SELECT request_key FROM idempotent_request WHERE scope = 'place-order' AND requester = 'buyer-purge' ORDER BY request_key`,
          )
        ).map((row) => row.request_key),
      (rows) => !rows.some((key) => key.startsWith('old-')),
      { timeoutMs: 10_000 },
    );
    expect(keys).toEqual(['new', 'recent']);
  });
});
