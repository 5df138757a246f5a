import { randomUUID } from 'node:crypto';
import { MessagingTables1764060000000 } from '@mallard/messaging';
import { IdempotentRequests1764060000100 } from '@mallard/platform';
import { dropDatabase, queryDatabase, startTestService, type TestService, withPreviousRelease } from '@mallard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentKeysShared1764063000003 } from '../migrations/1764063000003-payment-keys-shared.js';
import { PAYMENTS_MIGRATIONS, paymentsService } from '../service.js';

describe('payments: idempotency keys across the upgrade to idempotent_request, on real PostgreSQL', () => {
  let payments: TestService | undefined;
  let databaseName: string;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => queryDatabase<T>(databaseName, text, params);
  const claim = (scope: string, requester: string, key: string) =>
    sql(
      `SELECT fingerprint, reference, response_status, response_body FROM idempotent_request WHERE scope = $1 AND requester = $2 AND request_key = $3`,
      [scope, requester, key],
    );
  const insertRefund = (refundKey: string) =>
    sql(
      `INSERT INTO refund (id, refund_key, key_space, request_hash, serial, order_id, amount_minor, currency, reason, source, state)
       VALUES ($1, $2, 'SYSTEM', 'h-refund', $3, $4, 100, 'CNY', 'test', 'EVENT', 'REJECTED') RETURNING id`,
      [randomUUID(), refundKey, `R-${refundKey}`, randomUUID()],
    );

  beforeAll(async () => {
    payments = await startTestService(paymentsService);
    databaseName = payments.databaseName;
  });

  afterAll(async () => {
    await payments?.stop();
    if (databaseName) await dropDatabase(databaseName);
  });

  it('mirrors pay claims and their answers both ways, and refund and provider-event claims from the legacy tables', async () => {
    const legacyPayment = randomUUID();
    await sql(
      `INSERT INTO payment_request (buyer_id, idempotency_key, request_hash, order_id, payment_id) VALUES ('buyer-m', 'old-pod', 'h-1', $1, $2)`,
      [randomUUID(), legacyPayment],
    );
    expect(await claim('pay', 'buyer-m', 'old-pod')).toEqual([
      { fingerprint: 'h-1', reference: legacyPayment, response_status: null, response_body: null },
    ]);
    await sql(`UPDATE payment_request SET status = 201, response = '{"id":"p-old"}' WHERE idempotency_key = 'old-pod'`);
    expect(await claim('pay', 'buyer-m', 'old-pod')).toMatchObject([{ response_status: 201, response_body: { id: 'p-old' } }]);

    const newPayment = randomUUID();
    await sql(
      `INSERT INTO idempotent_request (scope, requester, request_key, fingerprint, reference) VALUES ('pay', 'buyer-m', 'new-pod', 'h-2', $1)`,
      [newPayment],
    );
    await sql(
      `UPDATE idempotent_request SET response_status = 502, response_body = '{"type":"x"}' WHERE scope = 'pay' AND request_key = 'new-pod'`,
    );
    expect(
      await sql(`SELECT request_hash, order_id, payment_id, status, response FROM payment_request WHERE idempotency_key = 'new-pod'`),
    ).toEqual([{ request_hash: 'h-2', order_id: null, payment_id: newPayment, status: 502, response: { type: 'x' } }]);

    await sql(`INSERT INTO provider_event (provider, event_id, provider_type, outcome) VALUES ('sandbox', 'evt-old', 't', 'RECEIVED')`);
    expect(await claim('provider-event', 'sandbox', 'evt-old')).toEqual([
      { fingerprint: null, reference: null, response_status: null, response_body: null },
    ]);
    const [refund] = await insertRefund('old-refund');
    expect(await claim('refund', 'SYSTEM', 'old-refund')).toMatchObject([{ fingerprint: 'h-refund', reference: refund.id }]);
  });

  it('copies the keys the previous release remembered when the migration runs', async () => {
    await payments!.stop();
    payments = undefined;
    const upgrade = PAYMENTS_MIGRATIONS.indexOf(PaymentKeysShared1764063000003);
    await withPreviousRelease(
      databaseName,
      [MessagingTables1764060000000, IdempotentRequests1764060000100, ...PAYMENTS_MIGRATIONS.slice(0, upgrade + 1)],
      async (dataSource) => {
        const paymentId = randomUUID();
        await dataSource.query(
          `INSERT INTO payment_request (buyer_id, idempotency_key, request_hash, order_id, payment_id, status, response)
         VALUES ('buyer-u', 'before', 'h-u', $1, $2, 201, '{"id":"p-u"}')`,
          [randomUUID(), paymentId],
        );
        await dataSource.query(
          `INSERT INTO provider_event (provider, event_id, provider_type, outcome) VALUES ('sandbox', 'evt-before', 't', 'APPLIED')`,
        );
        const [refund] = await insertRefund('before-refund');
        expect(await claim('pay', 'buyer-u', 'before')).toEqual([]);

        await dataSource.runMigrations({ transaction: 'each' });
        expect(await claim('pay', 'buyer-u', 'before')).toEqual([
          { fingerprint: 'h-u', reference: paymentId, response_status: 201, response_body: { id: 'p-u' } },
        ]);
        expect(await claim('provider-event', 'sandbox', 'evt-before')).toHaveLength(1);
        expect(await claim('refund', 'SYSTEM', 'before-refund')).toMatchObject([{ fingerprint: 'h-refund', reference: refund.id }]);
      },
      PAYMENTS_MIGRATIONS.slice(upgrade + 1),
    );
  });
});
