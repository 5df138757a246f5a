import { randomUUID } from 'node:crypto';
import { type CloudEvent, newCloudEvent, orderCancelled, orderPlaced, refundRequested, Topics, toKafkaRecord } from '@mallard/contracts';
import { withDatabase } from '@mallard/platform';
// These tests call payments directly: every fetch is signed like the gateway's calls (service token).
import { eventually, serviceFetch as fetch, infrastructure, sendRaw } from '@mallard/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { recordPlacedOrder } from './orders/placed-order.js';
import type { PaymentView } from './payment/payment.view.js';
import {
  grantPoints,
  issueGiftCard,
  orderPlacedData,
  payRequest,
  payWithOrdersCopy,
  placedOrder,
  placeOrder,
  postSandboxWebhook,
  sandboxWebhook,
  usePaymentsWithSandbox,
} from './testing/payments-test-kit.js';

const ROUNDS = 200;
const IN_PARALLEL = 20;
const CARD_PART = 5_000;
const PROVIDER_PART = 5_000;

/**
 * The provider's capture of a pending payment races a new attempt of the shopper's (which
 * supersedes a pending payment) on real PostgreSQL, many times. Whoever wins, no money is lost
 * or made: the gift card is never credited twice, a captured payment is never cancelled, and
 * every capture is either kept or refunded.
 */
describe('payments: races and locks', () => {
  const payments = usePaymentsWithSandbox();
  const { sql } = payments;

  /** Pays with the gateway's copy of the order (in state `state`), so no order.placed has to travel first. */
  const payWithCopyInState = (orderId: string, buyerId: string, payableMinor: number, tenders: object[], state = 'AWAITING_PAYMENT') =>
    payWithOrdersCopy(payments.url, orderId, buyerId, { ...placedOrder(orderId, buyerId, payableMinor), state }, tenders);
  const pay = (orderId: string, buyerId: string, card: string) =>
    payWithCopyInState(orderId, buyerId, CARD_PART + PROVIDER_PART, [
      { type: 'GIFT_CARD', code: card, amountMinor: CARD_PART },
      { type: 'PROVIDER', provider: 'sandbox', amountMinor: PROVIDER_PART },
    ]);

  interface Round {
    orderId: string;
    card: string;
    first: PaymentView;
    secondStatus: number;
    secondType?: string;
  }

  interface Pending {
    index: number;
    orderId: string;
    buyerId: string;
    card: string;
    first: PaymentView;
    payTookMs: number;
  }

  /** An order paid with a gift card and the sandbox: the card is debited, the payment PENDING. */
  async function pendingPayment(index: number): Promise<Pending> {
    const orderId = randomUUID();
    const buyerId = `buyer-race-${index}`;
    const card = await issueGiftCard(payments.url, CARD_PART);
    const startedAt = Date.now();
    const response = await pay(orderId, buyerId, card);
    const payTookMs = Date.now() - startedAt;
    expect(response.status).toBe(201);
    const first = (await response.json()) as PaymentView;
    expect(first.state).toBe('PENDING');
    return { index, orderId, buyerId, card, first, payTookMs };
  }

  /** The provider's capture callback and a second attempt of the shopper's, at once. */
  async function race({ index, orderId, buyerId, card, first, payTookMs }: Pending): Promise<Round> {
    const capture = async () => {
      // A callback is far quicker to apply than a new attempt: start it somewhere within the time
      // an attempt takes on this machine, so that both win often and some collide on the locks.
      await new Promise((resolve) => setTimeout(resolve, Math.round((payTookMs * (index % 10)) / 9)));
      const response = await postSandboxWebhook(
        payments.webhookUrl,
        sandboxWebhook('charge.succeeded', first.serial, first.providerRef!, PROVIDER_PART),
      );
      expect(response.status).toBe(200);
    };
    const [, second] = await Promise.all([capture(), pay(orderId, buyerId, card)]);
    const body = (await second.json()) as { type?: string };
    return { orderId, card, first, secondStatus: second.status, secondType: body.type };
  }

  it(`never cancels a captured payment nor credits a gift card twice (${ROUNDS} races)`, { timeout: 120_000 }, async () => {
    const rounds: Round[] = [];
    for (let start = 0; start < ROUNDS; start += IN_PARALLEL) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(IN_PARALLEL, ROUNDS - start) }, (_, offset) => pendingPayment(start + offset)),
      );
      // The shoppers paid at the provider (its books say so); now its callbacks and their second attempts race.
      await sql(`UPDATE sandbox_charge SET status = 'SUCCEEDED', settled_at = now() WHERE intent_id = ANY($1)`, [
        batch.map((entry) => entry.first.providerRef),
      ]);
      rounds.push(...(await Promise.all(batch.map(race))));
    }

    // The second attempt either superseded the pending payment (201) or found it captured (409).
    for (const { secondStatus, secondType } of rounds) {
      expect([201, 409]).toContain(secondStatus);
      if (secondStatus === 409) expect(secondType).toMatch(/order-already-paid$/);
    }
    const superseded = rounds.filter((entry) => entry.secondStatus === 201).length;

    // Every capture is kept (SUCCEEDED) or given back in full (REFUNDED by its automatic refund).
    const firstIds = rounds.map((entry) => entry.first.id);
    const settled = await eventually(
      () =>
        sql<{ id: string; state: string; refunded_minor: string }>(`SELECT id, state, refunded_minor FROM payment WHERE id = ANY($1)`, [
          firstIds,
        ]),
      (rows) => rows.length === ROUNDS && rows.every((row) => row.state === 'SUCCEEDED' || row.state === 'REFUNDED'),
      { timeoutMs: 30_000 },
    );
    const refunded = settled.filter((row) => row.state === 'REFUNDED');
    expect(refunded.length).toBe(superseded);
    for (const row of refunded) expect(Number(row.refunded_minor)).toBe(PROVIDER_PART);
    const sandboxRefunds = await sql<{ payment_serial: string; total: string }>(
      `SELECT c.payment_serial, sum(r.amount_minor) AS total FROM sandbox_refund r JOIN sandbox_charge c USING (intent_id)
       WHERE c.payment_serial = ANY($1) GROUP BY c.payment_serial`,
      [rounds.map((entry) => entry.first.serial)],
    );
    expect(sandboxRefunds.length).toBe(superseded);
    for (const row of sandboxRefunds) expect(Number(row.total)).toBe(PROVIDER_PART);

    // No payment both succeeded and was cancelled.
    const both = await sql<{ payment_id: string }>(
      `SELECT payment_id FROM payment_log WHERE order_id = ANY($1) GROUP BY payment_id
       HAVING bool_or(to_state = 'SUCCEEDED' AND from_state IS DISTINCT FROM 'SUCCEEDED') AND bool_or(to_state = 'CANCELLED')`,
      [rounds.map((entry) => entry.orderId)],
    );
    expect(both).toEqual([]);

    // Each card paid exactly once for good: debited by the first attempt, and if that attempt
    // was superseded, credited back once and debited again by the second. Never a double credit.
    const cards = await sql<{ code: string; balance: string; total: string; credits: number; debits: number }>(
      `SELECT g.code, g.balance_minor AS balance, sum(e.delta_minor) AS total,
              count(*) FILTER (WHERE e.kind = 'CREDIT')::int AS credits, count(*) FILTER (WHERE e.kind = 'DEBIT')::int AS debits
       FROM gift_card g JOIN gift_card_entry e USING (code) WHERE g.code = ANY($1) GROUP BY g.code, g.balance_minor`,
      [rounds.map((entry) => entry.card)],
    );
    expect(cards).toHaveLength(ROUNDS);
    const secondByCard = new Map(rounds.map((entry) => [entry.card, entry.secondStatus]));
    for (const card of cards) {
      expect(Number(card.balance)).toBe(0);
      expect(Number(card.total)).toBe(0);
      expect(card.credits).toBe(secondByCard.get(card.code) === 201 ? 1 : 0);
      expect(card.debits).toBe(secondByCard.get(card.code) === 201 ? 2 : 1);
    }

    // One payment holds each order in the end; one payment.succeeded-worthy success per order.
    const live = await sql<{ order_id: string; n: number }>(
      `SELECT order_id, count(*)::int AS n FROM payment WHERE order_id = ANY($1) AND state IN ('CREATED', 'PENDING', 'SUCCEEDED', 'PARTIALLY_REFUNDED') GROUP BY order_id`,
      [rounds.map((entry) => entry.orderId)],
    );
    expect(live).toHaveLength(ROUNDS);
    expect(live.every((row) => row.n === 1)).toBe(true);
  });

  it('refuses an order that orders’ copy says is closed, with 409 order-closed, and writes nothing', async () => {
    const orderId = randomUUID();
    const buyerId = 'buyer-closed-copy';
    await fetch(`${payments.url}/internal/points/grants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ buyerId, points: 900, reason: 'test grant' }),
    });
    for (const state of ['CANCELLED', 'FAILED']) {
      const response = await payWithCopyInState(orderId, buyerId, 900, [{ type: 'POINTS', points: 900 }], state);
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(((await response.json()) as { type: string }).type).toMatch(/order-closed$/);
    }
    expect(await sql('SELECT order_id FROM payable_order WHERE order_id = $1', [orderId])).toEqual([]);
    expect(await sql('SELECT id FROM payment WHERE order_id = $1', [orderId])).toEqual([]);
    const [account] = await sql<{ balance: string }>('SELECT balance FROM points_account WHERE buyer_id = $1', [buyerId]);
    expect(Number(account.balance)).toBe(900);
  });

  it('answers a points payment caught in a deadlock with the payment, not a 500', { timeout: 30_000 }, async () => {
    // The issue's deadlock: a consumer batch crediting the shopper's points holds their account
    // and then wants the order's row, which the payment holds while it waits for the account.
    // Played here by a plain transaction, so the cycle surely forms.
    const buyerId = 'buyer-deadlock';
    const orderId = await placeOrder(payments.service, buyerId, 700);
    await grantPoints(payments.url, buyerId, 1_000);
    const deadlocksOf = async () =>
      Number((await sql<{ deadlocks: string }>('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()'))[0].deadlocks);
    const deadlocksBefore = await deadlocksOf();
    const batch = new pg.Client({ connectionString: withDatabase(infrastructure().databaseUrl, payments.service.databaseName) });
    await batch.connect();
    try {
      await batch.query('BEGIN');
      await batch.query('UPDATE points_account SET balance = balance + 0 WHERE buyer_id = $1', [buyerId]);
      const paying = payRequest(payments.url, orderId, buyerId, [{ type: 'POINTS', points: 700 }]);
      // Wait until the payment holds the order's row and waits for the account.
      await eventually(
        () =>
          sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%points_account%'`,
          ),
        ([row]) => row.n === 1,
        { timeoutMs: 10_000, intervalMs: 20 },
      );
      const batchOutcome = await batch.query('SELECT order_id FROM payable_order WHERE order_id = $1 FOR UPDATE', [orderId]).then(
        () => 'went through',
        (error: { code?: string }) => error.code,
      );
      await batch.query(batchOutcome === 'went through' ? 'COMMIT' : 'ROLLBACK');
      const response = await paying;
      expect(response.status).toBe(201);
      expect(((await response.json()) as PaymentView).state).toBe('SUCCEEDED');
      // One side was PostgreSQL's victim: the batch (its transport retries it) or the payment (retried here).
      expect(await deadlocksOf()).toBeGreaterThan(deadlocksBefore);
      expect(['went through', '40P01']).toContain(batchOutcome);
    } finally {
      await batch.end();
    }
    const [account] = await sql<{ balance: string }>('SELECT balance FROM points_account WHERE buyer_id = $1', [buyerId]);
    expect(Number(account.balance)).toBe(300);
    const [ledger] = await sql<{ total: string }>('SELECT sum(delta_points) AS total FROM points_entry WHERE buyer_id = $1', [buyerId]);
    expect(Number(ledger.total)).toBe(300);
  });

  it('takes the orders of a run of events before its handlers, so a payment never deadlocks with the run', {
    timeout: 30_000,
  }, async () => {
    // A run of two events on one partition: a refund of one order credits the buyer's points,
    // then the cancellation of their other order takes that order's row. Meanwhile the buyer pays
    // that other order with points: the payment takes the order's row, then wants the account.
    const buyerId = 'buyer-run-locks';
    await grantPoints(payments.url, buyerId, 1_000);
    const refunded = await placeOrder(payments.service, buyerId, 400);
    const paid = await payRequest(payments.url, refunded, buyerId, [{ type: 'POINTS', points: 400 }]);
    expect(paid.status).toBe(201);
    const first = (await paid.json()) as PaymentView;
    // Placed through partition 0: once payments has it, it has caught up with what other test
    // files sent there, so the two events below come in one fetch, as one run.
    const cancelled = randomUUID();
    await sendToPartitionZero([
      newCloudEvent({
        type: orderPlaced.type,
        version: orderPlaced.version,
        source: 'mallard/test',
        subject: cancelled,
        data: orderPlacedData(cancelled, buyerId, 600),
      }),
    ]);
    await eventually(
      () => sql<{ n: number }>('SELECT count(*)::int AS n FROM payable_order WHERE order_id = $1', [cancelled]),
      ([row]) => row.n === 1,
    );
    const conflictsBefore = await reappliedRuns('conflict');

    // Holds the account, so the run stops once it asks for it, having taken what it takes by then.
    const holder = new pg.Client({ connectionString: withDatabase(infrastructure().databaseUrl, payments.service.databaseName) });
    await holder.connect();
    let paying: Promise<Response> | undefined;
    try {
      await holder.query('BEGIN');
      const [{ pid: holderPid }] = (await holder.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
      await holder.query('SELECT 1 FROM points_account WHERE buyer_id = $1 FOR UPDATE', [buyerId]);
      await sendToPartitionZero([
        newCloudEvent({
          type: refundRequested.type,
          version: refundRequested.version,
          source: 'mallard/test',
          subject: refunded,
          data: {
            orderId: refunded,
            refundId: `run-locks-${randomUUID()}`,
            paymentId: first.id,
            amountMinor: 400,
            currency: 'CNY',
            reason: 'ORDER_CANCELLED_AFTER_PAYMENT',
          },
        }),
        newCloudEvent({
          type: orderCancelled.type,
          version: orderCancelled.version,
          source: 'mallard/test',
          subject: cancelled,
          data: { orderId: cancelled, reason: 'SHOPPER_CANCELLED', cancelledAt: new Date().toISOString() },
        }),
      ]);
      const [run] = await blockedBy([holderPid], 1);
      expect(run.query).toContain('points_account');
      paying = payRequest(payments.url, cancelled, buyerId, [{ type: 'POINTS', points: 600 }]);
      // The payment waits for the order's row, which the run took first, not for the account while
      // holding that row (the run would then wait for the row while holding the account: a deadlock).
      const [payment] = await blockedBy([holderPid, run.pid], 1, run.pid);
      expect(payment.query).toContain('payable_order');
      expect(payment.blockers).toEqual([run.pid]);
    } finally {
      await holder.query('COMMIT').catch(() => undefined);
      await holder.end();
    }
    // The run took the cancelled order's row before the payment could: the payment finds it closed.
    const response = await paying!;
    expect(response.status).toBe(409);
    expect(((await response.json()) as { type: string }).type).toMatch(/order-closed$/);
    await eventually(
      () => sql<{ n: number }>(`SELECT count(*)::int AS n FROM refund WHERE order_id = $1 AND state = 'SUCCEEDED'`, [refunded]),
      ([row]) => row.n === 1,
      { timeoutMs: 10_000 },
    );
    // No deadlock broke the run up: it was applied once, whole.
    expect(await reappliedRuns('conflict')).toBe(conflictsBefore);
    const [account] = await sql<{ balance: string }>('SELECT balance FROM points_account WHERE buyer_id = $1', [buyerId]);
    expect(Number(account.balance)).toBe(1_000);
  });

  /** Sends events to partition 0 of the orders topic in one request, so they are fetched together. */
  async function sendToPartitionZero(events: CloudEvent[]): Promise<void> {
    await sendRaw(
      Topics.orders,
      events.map((event) => {
        const record = toKafkaRecord(event);
        return { key: record.key, value: record.value.toString(), headers: record.headers, partition: 0 };
      }),
    );
  }

  /**
   * The sessions of payments' database that one of `pids` blocks (but `except`), with what they
   * run and who blocks them, once there are `count` of them.
   */
  async function blockedBy(pids: number[], count: number, except?: number): Promise<{ pid: number; query: string; blockers: number[] }[]> {
    return eventually(
      () =>
        sql<{ pid: number; query: string; blockers: number[] }>(
          `SELECT pid, query, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity
            WHERE datname = current_database() AND pg_blocking_pids(pid) && $1::int[] AND pid IS DISTINCT FROM $2`,
          [pids, except ?? null],
        ),
      (waiting) => waiting.length === count,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
  }

  /** Payments' count of runs of events applied again one by one, for `reason`. */
  async function reappliedRuns(reason: 'conflict' | 'handler'): Promise<number> {
    const metrics = await (await fetch(`${payments.url}/metrics`)).text();
    return metrics
      .split('\n')
      .filter((line) => line.startsWith('event_runs_reapplied_total{') && line.includes(`reason="${reason}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  }

  it('records order.placed for an order it already knows without waiting for the order’s row', async () => {
    const orderId = randomUUID();
    const order = placedOrder(orderId, 'buyer-known', 500);
    const dataSource = payments.service.app.get(DataSource);
    await recordPlacedOrder(dataSource.manager, order);
    const holder = new pg.Client({ connectionString: withDatabase(infrastructure().databaseUrl, payments.service.databaseName) });
    await holder.connect();
    try {
      // A payment holds the order's row…
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM payable_order WHERE order_id = $1 FOR UPDATE', [orderId]);
      // …and the event (or the gateway's copy) for the same order goes through at once.
      await dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '2s'`);
        await recordPlacedOrder(manager, { ...order, payableMinor: 999 });
      });
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    const [row] = await sql<{ payable_minor: string }>('SELECT payable_minor FROM payable_order WHERE order_id = $1', [orderId]);
    expect(Number(row.payable_minor)).toBe(500);
  });
});
