import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { refundRequested, refundSucceeded, Topics } from '@mallard/contracts';
// These tests call payments directly: every fetch is signed like the gateway's calls (service token).
import { eventually, serviceFetch as fetch, readTopic, sendEvent } from '@mallard/testing';
import { describe, expect, it } from 'vitest';
import type { PaymentView } from './payment/payment.view.js';
import { payRequest, placeOrder, postSandboxWebhook, sandboxWebhook, usePaymentsWithSandbox } from './testing/payments-test-kit.js';

const STRIPE_SECRET = `whsec_${randomBytes(24).toString('base64url')}`;
const stripeSignature = (payload: string) => {
  const timestamp = Math.floor(Date.now() / 1000);
  return `t=${timestamp},v1=${createHmac('sha256', STRIPE_SECRET).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`;
};

interface Problem {
  type: string;
  status: number;
}

/** Inputs that must be refused cleanly (4xx problem+json, nothing changed) and id spaces that must not meet. */
describe('payments: refund id spaces, grants and malformed input', () => {
  const payments = usePaymentsWithSandbox({ STRIPE_WEBHOOK_SECRET: STRIPE_SECRET });
  const { sql, paymentOf } = payments;
  const staffRefund = (orderId: string, body: object) =>
    fetch(`${payments.url}/internal/orders/${orderId}/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mallard-actor': 'cs-1' },
      body: JSON.stringify(body),
    });

  it('keeps staff refund ids out of the system ids’ space', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-ids', 1_000);
    const pending = (await (
      await payRequest(payments.url, orderId, 'buyer-ids', [{ type: 'PROVIDER', provider: 'sandbox', amountMinor: 1_000 }])
    ).json()) as PaymentView;
    await fetch(`${payments.url}/internal/sandbox/charges/${pending.providerRef}/succeed`, { method: 'POST' });
    await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.state === 'SUCCEEDED',
    );

    // Staff cannot type a system id (nor a NUL); nothing is stored.
    for (const refundId of [`auto:${pending.id}`, `${orderId}:STOCK_UNAVAILABLE_AFTER_PAYMENT:${pending.id}`, 'x\u0000y', '']) {
      const response = await staffRefund(orderId, { refundId, amountMinor: 100, reason: 'goodwill' });
      expect(response.status, refundId).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await staffRefund(orderId, { refundId: 'nul-reason', amountMinor: 100, reason: 'good\u0000will' })).status).toBe(400);
    expect(await sql('SELECT id FROM refund WHERE order_id = $1', [orderId])).toEqual([]);

    // The same spelling from staff and from an event are two refunds.
    expect((await staffRefund(orderId, { refundId: 'shared-1', amountMinor: 100, reason: 'goodwill' })).status).toBe(201);
    await sendEvent(refundRequested, orderId, {
      orderId,
      refundId: 'shared-1',
      paymentId: pending.id,
      amountMinor: 200,
      currency: 'CNY',
      reason: 'STOCK_UNAVAILABLE_AFTER_PAYMENT',
    });
    await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.refundedMinor === 300,
    );
    const rows = await sql<{ key_space: string; amount_minor: string; state: string }>(
      'SELECT key_space, amount_minor, state FROM refund WHERE order_id = $1 ORDER BY created_at',
      [orderId],
    );
    expect(rows.map((row) => [row.key_space, Number(row.amount_minor), row.state])).toEqual([
      ['STAFF', 100, 'SUCCEEDED'],
      ['SYSTEM', 200, 'SUCCEEDED'],
    ]);
  });

  it('still refunds a late capture automatically when a staff refund (from before the rule) spells its id', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-late', 800);
    const first = (await (
      await payRequest(payments.url, orderId, 'buyer-late', [{ type: 'PROVIDER', provider: 'sandbox', amountMinor: 800 }])
    ).json()) as PaymentView;
    // A staff refund stored under the id the automatic refund will use.
    await sql(
      `INSERT INTO refund (id, refund_key, key_space, request_hash, serial, order_id, amount_minor, currency, reason, source, state, completed_at)
       VALUES ($1, $2, 'STAFF', 'legacy', $3, $4, 1, 'CNY', 'goodwill', 'STAFF', 'REJECTED', now())`,
      [randomUUID(), `auto:${first.id}`, `R20200101${Date.now().toString().slice(-10)}`, orderId],
    );
    await fetch(`${payments.url}/internal/sandbox/charges/${first.providerRef}/fail`, { method: 'POST' });
    await eventually(
      () => paymentOf(first.id),
      (payment) => payment.state === 'FAILED',
    );
    await sql(`UPDATE sandbox_charge SET status = 'SUCCEEDED' WHERE intent_id = $1`, [first.providerRef]);
    expect(
      (await postSandboxWebhook(payments.webhookUrl, sandboxWebhook('charge.succeeded', first.serial, first.providerRef!, 800))).status,
    ).toBe(200);
    const refunded = await eventually(
      () => paymentOf(first.id),
      (payment) => payment.state === 'REFUNDED',
    );
    expect(refunded.refundedMinor).toBe(800);
    const [event] = await readTopic(
      Topics.payments,
      1,
      20_000,
      (record) => record.key === orderId && record.headers.ce_type === refundSucceeded.type,
    );
    expect(JSON.parse(event.value!)).toMatchObject({ refundId: `auto:${first.id}`, amountMinor: 800, reason: 'CAPTURED_AFTER_FAILURE' });
  });

  it('answers a repeated grantId with the first grant only for the same body, else 422', async () => {
    const grant = (body: object) =>
      fetch(`${payments.url}/internal/points/grants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const grantId = `grant-${randomUUID()}`;
    const body = { buyerId: 'buyer-grant', points: 500, reason: 'birthday', grantId };
    expect((await grant(body)).status).toBe(201);
    expect((await grant(body)).status).toBe(200);
    for (const changed of [{ points: 501 }, { buyerId: 'buyer-other' }, { reason: 'anniversary' }]) {
      const response = await grant({ ...body, ...changed });
      expect(response.status, JSON.stringify(changed)).toBe(422);
      expect(((await response.json()) as Problem).type).toMatch(/grant-id-reused$/);
    }
    // NUL in an id or the reason: 400, nothing granted.
    for (const changed of [
      { grantId: `g\u0000${randomUUID()}` },
      { buyerId: 'buyer\u0000grant' },
      { reason: 'birth\u0000day', grantId: undefined },
    ]) {
      const response = await grant({ ...body, ...changed });
      expect(response.status, JSON.stringify(changed)).toBe(400);
      // The shared edge check refuses NUL before any DTO runs.
      expect(((await response.json()) as Problem).type).toMatch(/invalid-characters$/);
    }
    const [account] = await sql<{ balance: string }>('SELECT balance FROM points_account WHERE buyer_id = $1', ['buyer-grant']);
    expect(Number(account.balance)).toBe(500);
    expect(await sql('SELECT 1 FROM points_account WHERE buyer_id = $1', ['buyer-other'])).toEqual([]);
  });

  it('answers a correctly signed but malformed callback with 400 problem+json and records nothing', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-malformed', 600);
    const pending = (await (
      await payRequest(payments.url, orderId, 'buyer-malformed', [{ type: 'PROVIDER', provider: 'sandbox', amountMinor: 600 }])
    ).json()) as PaymentView;
    const recordedBefore = await sql('SELECT provider, event_id FROM provider_event ORDER BY received_at');
    const intent = (extra: object) => ({
      id: pending.providerRef,
      object: 'payment_intent',
      amount: 600,
      amount_received: 600,
      currency: 'cny',
      metadata: { serial: pending.serial },
      ...extra,
    });
    const stripeEvents = [
      { id: `evt_${randomUUID()}`, object: 'event', type: 'payment_intent.succeeded', data: { object: intent({ currency: 7 }) } },
      {
        id: `evt_${randomUUID()}`,
        object: 'event',
        type: 'payment_intent.succeeded',
        data: { object: intent({ amount_received: '600', amount: '600' }) },
      },
      { id: `evt_\u0000${randomUUID()}`, object: 'event', type: 'payment_intent.succeeded', data: { object: intent({}) } },
      {
        id: `evt_${randomUUID()}`,
        object: 'event',
        type: 'payment_intent.succeeded',
        data: { object: intent({ metadata: { serial: `${pending.serial}\u0000` } }) },
      },
      { id: { nested: true }, object: 'event', type: 'payment_intent.succeeded', data: { object: intent({}) } },
      { id: `evt_${randomUUID()}`, object: 'event', type: 7, data: { object: intent({}) } },
    ];
    for (const event of stripeEvents) {
      const payload = JSON.stringify(event);
      const response = await fetch(`${payments.url}/internal/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(payload) },
        body: payload,
      });
      expect(response.status, payload).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      // NUL anywhere is refused by the shared edge check before the signature is even read.
      expect(((await response.json()) as Problem).type).toMatch(payload.includes('\\u0000') ? /invalid-characters$/ : /webhook-unusable$/);
    }
    const sandboxEvents = [
      sandboxWebhook('charge.succeeded', pending.serial, pending.providerRef!, 600, `evt_\u0000${randomUUID()}`),
      sandboxWebhook('charge.succeeded', `${pending.serial}\u0000`, pending.providerRef!, 600),
      sandboxWebhook('charge.succeeded', pending.serial, `${pending.providerRef}\u0000`, 600),
      {
        ...sandboxWebhook('charge.succeeded', pending.serial, pending.providerRef!, 600),
        data: { intentId: pending.providerRef!, reference: pending.serial, amountMinor: 600, currency: 7 },
      },
      { ...sandboxWebhook('charge.succeeded', pending.serial, pending.providerRef!, 600), type: 7 },
    ];
    for (const event of sandboxEvents) {
      const response = await postSandboxWebhook(payments.webhookUrl, event as never);
      expect(response.status, JSON.stringify(event)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await sql('SELECT provider, event_id FROM provider_event ORDER BY received_at')).toEqual(recordedBefore);
    expect((await paymentOf(pending.id)).state).toBe('PENDING');
    const log = await sql<{ to_state: string }>('SELECT to_state FROM payment_log WHERE payment_id = $1 ORDER BY id', [pending.id]);
    expect(log.map((row) => row.to_state)).toEqual(['CREATED', 'PENDING']);
    // The sandbox console refuses a NUL in a charge id with a 400 (the shared edge check), not a database error.
    const nulCharge = await fetch(`${payments.url}/internal/sandbox/charges/sbx_pi_%00/succeed`, { method: 'POST' });
    expect(nulCharge.status).toBe(400);
    expect(((await nulCharge.json()) as Problem).type).toMatch(/invalid-characters$/);
  });

  it('refuses a day that does not exist and NUL in a settlement file with 400, storing nothing', async () => {
    const reconcile = (body: object) =>
      fetch(`${payments.url}/internal/reconciliations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const csv = 'type,merchant_reference,amount_minor,currency,status\n';
    for (const body of [
      { provider: 'sandbox', date: '2020-02-30', csv },
      { provider: 'sandbox', date: '2021-02-29', csv },
      { provider: 'sandbox', date: '2026-11-25', csv, fileName: 'a\u0000.csv' },
      { provider: 'sandbox', date: '2026-11-25', csv: `${csv}PAYMENT,P2026\u0000,1,CNY,SUCCEEDED\n` },
    ]) {
      const response = await reconcile(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await sql('SELECT id FROM reconciliation_report')).toEqual([]);
    expect((await fetch(`${payments.url}/internal/reconciliations?date=2020-02-30`)).status).toBe(400);
    expect((await fetch(`${payments.url}/internal/sandbox/settlements/2020-02-30`)).status).toBe(400);
    expect((await reconcile({ provider: 'sandbox', date: '2020-02-29', csv })).status).toBe(201);
  });
});
