import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { orderCancelled, paymentFailed, paymentSucceeded, refundRequested, refundSucceeded, Topics } from '@mallard/contracts';
// These tests call payments directly: every fetch is signed like the gateway's calls (service token).
import { eventually, serviceFetch as fetch, readTopic, sendEvent } from '@mallard/testing';
import { describe, expect, it } from 'vitest';
import type { PaymentView } from './payment/payment.view.js';
import { runReconcileCli } from './reconciliation/reconcile.cli.js';
import {
  grantPoints,
  issueGiftCard,
  payRequest,
  payWithOrdersCopy,
  placedOrder,
  placeOrder,
  postSandboxWebhook,
  sandboxWebhook,
  TEST_SANDBOX_SECRET,
  usePaymentsWithSandbox,
} from './testing/payments-test-kit.js';

interface Problem {
  type: string;
  status: number;
}

describe('payments on real Kafka and PostgreSQL', () => {
  const payments = usePaymentsWithSandbox({ POINTS_PER_CURRENCY_UNIT: '100' });
  const { sql, paymentOf } = payments;
  const giftCard = async (code: string) =>
    (await (await fetch(`${payments.url}/internal/gift-cards/${code}`)).json()) as {
      balanceMinor: number;
      history: { amountMinor: number; balanceAfter: number; kind: string }[];
    };
  const eventsOf = (type: string, orderId: string, count: number, timeoutMs = 20_000) =>
    readTopic(Topics.payments, count, timeoutMs, (record) => record.key === orderId && record.headers.ce_type === type);

  it('pays with gift cards and points at once, publishes payment.succeeded, and replays the first answer', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-mixed', 5_000);
    const card = await issueGiftCard(payments.url, 3_000);
    await grantPoints(payments.url, 'buyer-mixed', 2_500);
    const key = randomUUID();
    const tenders = [
      { type: 'GIFT_CARD' as const, code: card, amountMinor: 3_000 },
      { type: 'POINTS' as const, points: 2_000 },
    ];
    const first = await payRequest(payments.url, orderId, 'buyer-mixed', tenders, key);
    expect(first.status).toBe(201);
    const paid = (await first.json()) as PaymentView;
    expect(paid).toMatchObject({ state: 'SUCCEEDED', amountMinor: 5_000, currency: 'CNY', provider: null });
    expect(paid.serial).toMatch(/^P\d{8}\d{10}$/);

    const retry = await payRequest(payments.url, orderId, 'buyer-mixed', tenders, key);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(paid);
    const reused = await payRequest(payments.url, orderId, 'buyer-mixed', [{ type: 'POINTS', points: 5_000 }], key);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as Problem).type).toMatch(/idempotency-key-reused$/);

    const [event] = await eventsOf(paymentSucceeded.type, orderId, 1);
    expect(JSON.parse(event.value!)).toMatchObject({ orderId, paymentId: paid.id, amountMinor: 5_000, currency: 'CNY' });
    expect((await giftCard(card)).balanceMinor).toBe(0);
    const points = (await (await fetch(`${payments.url}/internal/points`, { headers: { 'x-mallard-buyer': 'buyer-mixed' } })).json()) as {
      balance: number;
      history: { kind: string; points: number }[];
    };
    expect(points.balance).toBe(500);
    expect(points.history.map((entry) => [entry.kind, entry.points])).toEqual([
      ['DEBIT', -2_000],
      ['GRANT', 2_500],
    ]);
    const log = await sql<{ from_state: string | null; to_state: string }>(
      'SELECT from_state, to_state FROM payment_log WHERE payment_id = $1 ORDER BY id',
      [paid.id],
    );
    expect(log.map((row) => `${row.from_state}→${row.to_state}`)).toEqual(['null→CREATED', 'CREATED→SUCCEEDED']);
  });

  it('takes payment for an order it has not heard of yet when the gateway brings orders’ copy of it', async () => {
    const orderId = randomUUID();
    await grantPoints(payments.url, 'buyer-early', 900);
    const pay = (snapshot: object) => payWithOrdersCopy(payments.url, orderId, 'buyer-early', snapshot, [{ type: 'POINTS', points: 900 }]);
    const order = placedOrder(orderId, 'buyer-early', 900);
    expect((await payRequest(payments.url, orderId, 'buyer-early', [{ type: 'POINTS', points: 900 }])).status).toBe(404);
    const someoneElses = await pay({ ...order, buyerId: 'buyer-other' });
    expect(someoneElses.status).toBe(400);
    const paid = await pay(order);
    expect(paid.status).toBe(201);
    expect(((await paid.json()) as PaymentView).state).toBe('SUCCEEDED');
  });

  it('refuses tenders that do not add up, unknown cards and short balances, and writes nothing', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-bad', 1_000);
    const card = await issueGiftCard(payments.url, 500);
    const cases: [object[], number, RegExp][] = [
      [[{ type: 'GIFT_CARD', code: card, amountMinor: 400 }], 422, /tenders-total-mismatch$/],
      [[{ type: 'GIFT_CARD', code: 'GC-NONE-NONE-NONE', amountMinor: 1_000 }], 422, /gift-card-refused$/],
      [
        [
          { type: 'GIFT_CARD', code: card, amountMinor: 600 },
          { type: 'PROVIDER', provider: 'sandbox', amountMinor: 400 },
        ],
        422,
        /gift-card-refused$/,
      ],
      [[{ type: 'POINTS', points: 1_000 }], 422, /insufficient-points$/],
      [[{ type: 'PROVIDER', provider: 'stripe', amountMinor: 1_000 }], 422, /provider-unavailable$/],
      [[{ type: 'POINTS', points: 10, code: card }], 400, /validation-failed$/],
      [
        [
          { type: 'PROVIDER', provider: 'sandbox', amountMinor: 500 },
          { type: 'PROVIDER', provider: 'sandbox', amountMinor: 500 },
        ],
        422,
        /more-than-one-provider$/,
      ],
    ];
    for (const [tenders, status, type] of cases) {
      const response = await payRequest(payments.url, orderId, 'buyer-bad', tenders as never);
      expect(response.status, JSON.stringify(tenders)).toBe(status);
      expect(((await response.json()) as Problem).type).toMatch(type);
    }
    expect((await payRequest(payments.url, orderId, 'someone-else', [{ type: 'POINTS', points: 1 }])).status).toBe(404);
    const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM payment WHERE order_id = $1', [orderId]);
    expect(row.n).toBe(0);
    expect((await giftCard(card)).balanceMinor).toBe(500);
  });

  it('lets exactly one of many racing attempts pay an order', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-race', 700);
    const cards = await Promise.all(Array.from({ length: 8 }, () => issueGiftCard(payments.url, 700)));
    const responses = await Promise.all(
      cards.map((code) => payRequest(payments.url, orderId, 'buyer-race', [{ type: 'GIFT_CARD', code, amountMinor: 700 }])),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(7);
    const rows = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM payment WHERE order_id = $1`, [orderId]);
    expect(rows[0].n).toBe(1);
    // Only the winner's card was debited.
    const balances = await Promise.all(cards.map(async (code) => (await giftCard(code)).balanceMinor));
    expect(balances.filter((balance) => balance === 0)).toHaveLength(1);
    expect(balances.filter((balance) => balance === 700)).toHaveLength(7);
  });

  it('never spends a gift card below zero under concurrent spends, and its ledger adds up', async () => {
    const card = await issueGiftCard(payments.url, 1_000);
    const orders = await Promise.all(Array.from({ length: 10 }, (_, index) => placeOrder(payments.service, `buyer-spend-${index}`, 150)));
    const responses = await Promise.all(
      orders.map((orderId, index) =>
        payRequest(payments.url, orderId, `buyer-spend-${index}`, [{ type: 'GIFT_CARD', code: card, amountMinor: 150 }]),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(6);
    expect(statuses.filter((status) => status === 422)).toHaveLength(4);
    const [ledger] = await sql<{ balance: string; total: string; min_after: string; debits: number }>(
      `SELECT g.balance_minor AS balance, sum(e.delta_minor) AS total, min(e.balance_after) AS min_after, count(*) FILTER (WHERE e.kind = 'DEBIT')::int AS debits
       FROM gift_card g JOIN gift_card_entry e USING (code) WHERE g.code = $1 GROUP BY g.balance_minor`,
      [card],
    );
    expect(Number(ledger.balance)).toBe(100);
    expect(Number(ledger.total)).toBe(100);
    expect(Number(ledger.min_after)).toBeGreaterThanOrEqual(0);
    expect(ledger.debits).toBe(6);
    // Each row's balance_after is the running sum of the deltas before it.
    const entries = await sql<{ delta_minor: string; balance_after: string }>(
      'SELECT delta_minor, balance_after FROM gift_card_entry WHERE code = $1 ORDER BY id',
      [card],
    );
    let running = 0;
    for (const entry of entries) {
      running += Number(entry.delta_minor);
      expect(Number(entry.balance_after)).toBe(running);
    }
  });

  it('applies sandbox callbacks once: duplicates, a late failure after success, and forged signatures change nothing', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-hooks', 2_000);
    const card = await issueGiftCard(payments.url, 500);
    const response = await payRequest(payments.url, orderId, 'buyer-hooks', [
      { type: 'GIFT_CARD', code: card, amountMinor: 500 },
      { type: 'PROVIDER', provider: 'sandbox', amountMinor: 1_500 },
    ]);
    expect(response.status).toBe(201);
    const pending = (await response.json()) as PaymentView;
    expect(pending.state).toBe('PENDING');
    expect(pending.clientAction).toMatchObject({ type: 'SANDBOX' });
    const intentId = pending.providerRef!;

    // Forged: wrong secret, tampered body, stale timestamp, no signature.
    const success = sandboxWebhook('charge.succeeded', pending.serial, intentId, 1_500);
    expect((await postSandboxWebhook(payments.webhookUrl, success, 'not-the-secret-not-the-secret-000000')).status).toBe(401);
    const body = JSON.stringify(success);
    const tampered = await fetch(payments.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'Sandbox-Signature': (await import('./providers/sandbox/sandbox-signature.js')).signSandboxPayload(TEST_SANDBOX_SECRET, body),
      },
      body: body.replace('1500', '1'),
    });
    expect(tampered.status).toBe(401);
    const stale = await fetch(payments.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'Sandbox-Signature': (await import('./providers/sandbox/sandbox-signature.js')).signSandboxPayload(
          TEST_SANDBOX_SECRET,
          body,
          Math.floor(Date.now() / 1000) - 3_600,
        ),
      },
      body,
    });
    expect(stale.status).toBe(401);
    expect((await fetch(payments.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    expect((await paymentOf(pending.id)).state).toBe('PENDING');
    expect(await sql('SELECT * FROM provider_event WHERE payment_id = $1', [pending.id])).toEqual([]);

    // The real one, twice, then a late failure for the same charge.
    for (let attempt = 0; attempt < 2; attempt += 1) expect((await postSandboxWebhook(payments.webhookUrl, success)).status).toBe(200);
    expect((await postSandboxWebhook(payments.webhookUrl, sandboxWebhook('charge.failed', pending.serial, intentId, 1_500))).status).toBe(
      200,
    );
    const done = await paymentOf(pending.id);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.tenders.map((tender) => tender.state)).toEqual(['CAPTURED', 'CAPTURED']);
    const outcomes = await sql<{ outcome: string }>('SELECT outcome FROM provider_event WHERE payment_id = $1 ORDER BY received_at', [
      pending.id,
    ]);
    expect(outcomes.map((row) => row.outcome)).toEqual(['SUCCEEDED', 'IGNORED: a late failure never undoes a success']);
    const log = await sql<{ to_state: string }>('SELECT to_state FROM payment_log WHERE payment_id = $1 ORDER BY id', [pending.id]);
    expect(log.map((row) => row.to_state)).toEqual(['CREATED', 'PENDING', 'SUCCEEDED']);
    const [event] = await eventsOf(paymentSucceeded.type, orderId, 1);
    expect(JSON.parse(event.value!)).toMatchObject({ paymentId: pending.id, amountMinor: 2_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await eventsOf(paymentSucceeded.type, orderId, 2, 3_000).catch(() => 'only one')).toBe('only one');
  });

  it('credits gift cards back when the provider declines, and the order may be paid again', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-decline', 1_000);
    const card = await issueGiftCard(payments.url, 400);
    const first = (await (
      await payRequest(payments.url, orderId, 'buyer-decline', [
        { type: 'GIFT_CARD', code: card, amountMinor: 400 },
        { type: 'PROVIDER', provider: 'sandbox', amountMinor: 600 },
      ])
    ).json()) as PaymentView;
    const failed = await fetch(`${payments.url}/internal/sandbox/charges/${first.providerRef}/fail`, { method: 'POST' });
    expect(((await failed.json()) as { deliveredStatus: number }).deliveredStatus).toBe(200);
    expect((await paymentOf(first.id)).state).toBe('FAILED');
    expect((await giftCard(card)).balanceMinor).toBe(400);
    const [event] = await eventsOf(paymentFailed.type, orderId, 1);
    expect(JSON.parse(event.value!)).toMatchObject({ paymentId: first.id, reason: 'PROVIDER_DECLINED' });

    // The provider captured after all (its books say so) and says it late: given back, not applied.
    await sql(`UPDATE sandbox_charge SET status = 'SUCCEEDED' WHERE intent_id = $1`, [first.providerRef]);
    await postSandboxWebhook(payments.webhookUrl, sandboxWebhook('charge.succeeded', first.serial, first.providerRef!, 600));
    await eventually(
      () => paymentOf(first.id),
      (payment) => payment.state === 'REFUNDED',
    );

    const second = await payRequest(payments.url, orderId, 'buyer-decline', [
      { type: 'GIFT_CARD', code: card, amountMinor: 400 },
      { type: 'PROVIDER', provider: 'sandbox', amountMinor: 600 },
    ]);
    expect(second.status).toBe(201);
  });

  it('lets a new attempt replace a payment abandoned at its provider, giving its gift card back', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-abandon', 1_000);
    const card = await issueGiftCard(payments.url, 300);
    const abandoned = (await (
      await payRequest(payments.url, orderId, 'buyer-abandon', [
        { type: 'GIFT_CARD', code: card, amountMinor: 300 },
        { type: 'PROVIDER', provider: 'sandbox', amountMinor: 700 },
      ])
    ).json()) as PaymentView;
    expect(abandoned.state).toBe('PENDING');
    expect((await giftCard(card)).balanceMinor).toBe(0);

    const again = await payRequest(payments.url, orderId, 'buyer-abandon', [
      { type: 'GIFT_CARD', code: card, amountMinor: 300 },
      { type: 'PROVIDER', provider: 'sandbox', amountMinor: 700 },
    ]);
    expect(again.status).toBe(201);
    expect((await paymentOf(abandoned.id)).state).toBe('CANCELLED');
    const [event] = await eventsOf(paymentFailed.type, orderId, 1);
    expect(JSON.parse(event.value!)).toMatchObject({ paymentId: abandoned.id, reason: 'SUPERSEDED' });
    // The card paid for the first attempt, came back, and paid for the second.
    expect((await giftCard(card)).balanceMinor).toBe(0);
    const ledger = await sql<{ delta_minor: string }>('SELECT delta_minor FROM gift_card_entry WHERE code = $1 ORDER BY id', [card]);
    expect(ledger.map((row) => Number(row.delta_minor))).toEqual([300, -300, 300, -300]);
  });

  it('cancels a pending payment when the order closes, refuses new attempts, and refunds a success that comes after', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-closed', 1_200);
    await grantPoints(payments.url, 'buyer-closed', 200);
    const pending = (await (
      await payRequest(payments.url, orderId, 'buyer-closed', [
        { type: 'POINTS', points: 200 },
        { type: 'PROVIDER', provider: 'sandbox', amountMinor: 1_000 },
      ])
    ).json()) as PaymentView;
    await sendEvent(orderCancelled, orderId, { orderId, reason: 'PAYMENT_WINDOW_ELAPSED', cancelledAt: new Date().toISOString() });
    await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.state === 'CANCELLED',
    );
    const points = (await (await fetch(`${payments.url}/internal/points`, { headers: { 'x-mallard-buyer': 'buyer-closed' } })).json()) as {
      balance: number;
    };
    expect(points.balance).toBe(200);
    const refused = await payRequest(payments.url, orderId, 'buyer-closed', [
      { type: 'POINTS', points: 200 },
      { type: 'PROVIDER', provider: 'sandbox', amountMinor: 1_000 },
    ]);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Problem).type).toMatch(/order-closed$/);

    // The shopper paid at the provider anyway: the money goes straight back.
    const settled = await fetch(`${payments.url}/internal/sandbox/charges/${pending.providerRef}/succeed`, { method: 'POST' });
    expect(settled.status).toBe(200);
    const refunded = await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.state === 'REFUNDED',
    );
    expect(refunded.refundedMinor).toBe(1_000);
    const [event] = await eventsOf(refundSucceeded.type, orderId, 1);
    expect(JSON.parse(event.value!)).toMatchObject({
      refundId: `auto:${pending.id}`,
      amountMinor: 1_000,
      reason: 'CAPTURED_AFTER_CLOSE',
      parts: [{ tender: 'PROVIDER', amountMinor: 1_000, provider: 'sandbox' }],
    });
    const [sandboxRefund] = await sql<{ amount_minor: string }>(
      `SELECT r.amount_minor FROM sandbox_refund r JOIN sandbox_charge c USING (intent_id) WHERE c.payment_serial = $1`,
      [pending.serial],
    );
    expect(Number(sandboxRefund.amount_minor)).toBe(1_000);
    const log = await sql<{ to_state: string }>('SELECT to_state FROM payment_log WHERE payment_id = $1 ORDER BY id', [pending.id]);
    expect(log.map((row) => row.to_state)).toEqual(['CREATED', 'PENDING', 'CANCELLED', 'CANCELLED', 'REFUNDED']);
  });

  it('turns refund.requested into refund.succeeded along the original route, with ledger credits, once per refundId', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-refund', 3_000);
    const card = await issueGiftCard(payments.url, 1_000);
    await grantPoints(payments.url, 'buyer-refund', 1_000);
    const pending = (await (
      await payRequest(payments.url, orderId, 'buyer-refund', [
        { type: 'GIFT_CARD', code: card, amountMinor: 1_000 },
        { type: 'POINTS', points: 800 },
        { type: 'PROVIDER', provider: 'sandbox', amountMinor: 1_200 },
      ])
    ).json()) as PaymentView;
    await fetch(`${payments.url}/internal/sandbox/charges/${pending.providerRef}/succeed`, { method: 'POST' });
    await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.state === 'SUCCEEDED',
    );

    // 2 000 back: the provider's 1 200 first, then 800 of the gift card; points untouched.
    const refundId = `${orderId}:STOCK_UNAVAILABLE_AFTER_PAYMENT:${pending.id}`;
    const request = {
      orderId,
      refundId,
      paymentId: pending.id,
      amountMinor: 2_000,
      currency: 'CNY',
      reason: 'STOCK_UNAVAILABLE_AFTER_PAYMENT' as const,
    };
    await sendEvent(refundRequested, orderId, request);
    await sendEvent(refundRequested, orderId, request); // a second request with the same refundId
    const [event] = await eventsOf(refundSucceeded.type, orderId, 1);
    expect(JSON.parse(event.value!)).toMatchObject({
      refundId,
      amountMinor: 2_000,
      parts: [
        { tender: 'PROVIDER', amountMinor: 1_200, provider: 'sandbox' },
        { tender: 'GIFT_CARD', amountMinor: 800 },
      ],
    });
    const partial = await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.state === 'PARTIALLY_REFUNDED',
    );
    expect(partial.refundedMinor).toBe(2_000);
    expect((await giftCard(card)).history[0]).toMatchObject({ kind: 'CREDIT', amountMinor: 800, balanceAfter: 800 });

    // The rest: 200 of the gift card, then the points.
    await sendEvent(refundRequested, orderId, { ...request, refundId: `${refundId}:rest`, amountMinor: 1_000 });
    await eventually(
      () => paymentOf(pending.id),
      (payment) => payment.state === 'REFUNDED',
    );
    const points = (await (await fetch(`${payments.url}/internal/points`, { headers: { 'x-mallard-buyer': 'buyer-refund' } })).json()) as {
      balance: number;
      history: { kind: string; points: number }[];
    };
    expect(points.balance).toBe(1_000);
    expect(points.history[0]).toMatchObject({ kind: 'CREDIT', points: 800 });
    expect((await giftCard(card)).balanceMinor).toBe(1_000);
    const refunds = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM refund WHERE order_id = $1`, [orderId]);
    expect(refunds[0].n).toBe(2);

    const trail = (await (await fetch(`${payments.url}/internal/orders/${orderId}/money-trail`)).json()) as {
      payments: { log: unknown[] }[];
      refunds: unknown[];
      giftCardEntries: unknown[];
      pointsEntries: unknown[];
    };
    expect(trail.payments[0].log.length).toBeGreaterThanOrEqual(5);
    expect(trail.refunds).toHaveLength(2);
    expect(trail.giftCardEntries).toHaveLength(3);
    expect(trail.pointsEntries).toHaveLength(2);
  });

  it('never refunds more than was paid when staff refunds race', async () => {
    const orderId = await placeOrder(payments.service, 'buyer-race-refund', 1_000);
    const card = await issueGiftCard(payments.url, 1_000);
    const paid = (await (
      await payRequest(payments.url, orderId, 'buyer-race-refund', [{ type: 'GIFT_CARD', code: card, amountMinor: 1_000 }])
    ).json()) as PaymentView;
    const refund = (refundId: string, amountMinor: number) =>
      fetch(`${payments.url}/internal/orders/${orderId}/refunds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-mallard-actor': 'cs-1' },
        body: JSON.stringify({ refundId, amountMinor, reason: 'goodwill' }),
      });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => refund(`race-${orderId}-${index}`, 300)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 422)).toHaveLength(7);
    const after = await paymentOf(paid.id);
    expect(after).toMatchObject({ state: 'PARTIALLY_REFUNDED', refundedMinor: 900 });
    expect((await giftCard(card)).balanceMinor).toBe(900);
    // Same refundId again: the same refund, not another.
    const winner = statuses.indexOf(201);
    const again = await refund(`race-${orderId}-${winner}`, 300);
    expect(again.status).toBe(200);
    const conflicting = await refund(`race-${orderId}-${winner}`, 100);
    expect(conflicting.status).toBe(422);
    expect((await refund(`last-${orderId}`, 100)).status).toBe(201);
    expect((await paymentOf(paid.id)).state).toBe('REFUNDED');
  });

  it('reconciles a sandbox settlement file and reports every kind of mismatch', async () => {
    const orderA = await placeOrder(payments.service, 'buyer-recon', 900);
    const orderB = await placeOrder(payments.service, 'buyer-recon', 800);
    const orderC = await placeOrder(payments.service, 'buyer-recon', 700);
    const pay = async (orderId: string, amount: number) =>
      (await (
        await payRequest(payments.url, orderId, 'buyer-recon', [{ type: 'PROVIDER', provider: 'sandbox', amountMinor: amount }])
      ).json()) as PaymentView;
    const [a, b, c] = [await pay(orderA, 900), await pay(orderB, 800), await pay(orderC, 700)];
    for (const payment of [a, b, c])
      await fetch(`${payments.url}/internal/sandbox/charges/${payment.providerRef}/succeed`, { method: 'POST' });
    for (const payment of [a, b, c])
      await eventually(
        () => paymentOf(payment.id),
        (p) => p.state === 'SUCCEEDED',
      );
    const today = new Date().toISOString().slice(0, 10);
    const file = await (await fetch(`${payments.url}/internal/sandbox/settlements/${today}`)).text();
    const lines = file.trim().split('\n');
    const mine = (serial: string) => lines.findIndex((line) => line.includes(serial));
    // Tamper: drop a's line, change b's amount, mark c failed, add one we never made.
    const edited = lines
      .filter((_, index) => index !== mine(a.serial))
      .map((line) =>
        line.includes(b.serial) ? line.replace(',800,', ',801,') : line.includes(c.serial) ? line.replace('SUCCEEDED', 'FAILED') : line,
      );
    edited.push(`PAYMENT,P20991231${Date.now().toString().slice(-10)},sbx_pi_foreign,123,CNY,SUCCEEDED,${new Date().toISOString()}`);
    const response = await fetch(`${payments.url}/internal/reconciliations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mallard-actor': 'finance-1' },
      body: JSON.stringify({ provider: 'sandbox', date: today, csv: edited.join('\n'), fileName: 'sandbox.csv' }),
    });
    expect(response.status).toBe(201);
    const report = (await response.json()) as { id: string; mismatches: { kind: string; merchantReference: string }[] };
    const kindOf = (serial: string) => report.mismatches.filter((m) => m.merchantReference === serial).map((m) => m.kind);
    expect(kindOf(a.serial)).toEqual(['MISSING_THEIRS']);
    expect(kindOf(b.serial)).toEqual(['AMOUNT_DIFFERS']);
    expect(kindOf(c.serial)).toEqual(['STATUS_DIFFERS']);
    expect(report.mismatches.filter((m) => m.kind === 'MISSING_OURS').map((m) => m.merchantReference)).toContain(
      edited.at(-1)!.split(',')[1],
    );
    const stored = await fetch(`${payments.url}/internal/reconciliations/${report.id}`);
    expect(stored.status).toBe(200);

    // The same file through `npm run reconcile` (in process here): exit code 2 = mismatches, report stored.
    const csvFile = path.join(await mkdtemp(path.join(tmpdir(), 'reconcile-')), 'sandbox.csv');
    await writeFile(csvFile, edited.join('\n'));
    const output: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => output.push(chunk) > 0) as typeof process.stdout.write;
    let exitCode: number;
    try {
      exitCode = await runReconcileCli(['--provider', 'sandbox', '--date', today, '--file', csvFile], {
        DATABASE_URL: process.env.DATABASE_URL,
        DATABASE_NAME: payments.service.databaseName,
      });
    } finally {
      process.stdout.write = write;
    }
    expect(exitCode).toBe(2);
    const printed = JSON.parse(output.join('')) as { id: string; mismatches: unknown[]; createdBy: string };
    expect(printed.mismatches).toHaveLength(report.mismatches.length);
    const reports = await sql<{ created_by: string }>('SELECT created_by FROM reconciliation_report WHERE id = $1', [printed.id]);
    expect(reports).toEqual([{ created_by: 'cli' }]);

    const malformed = await fetch(`${payments.url}/internal/reconciliations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'sandbox', date: today, csv: 'type,merchant_reference\nPAYMENT,x' }),
    });
    expect(malformed.status).toBe(422);
  });
});
