/**
 * Chaos run: places and pays orders through the gateway at a steady load while services, Kafka
 * and PostgreSQL are killed and brought back at random moments, then checks that nothing was
 * lost, doubled or oversold. Not part of CI; docs/reliability.md explains it and keeps figures.
 *
 *   npm run chaos                                   # 5,000 orders, 24 shoppers at a time
 *   npm run chaos -- --orders 2000 --concurrency 16 --flash-units 150 --seed 7
 *   npm run chaos -- --orders 1500 --only Kafka      # only the faults named so
 *
 * It starts the suite itself (`npm start`) on an embedded PostgreSQL of its own, so that it may
 * crash that server; it refuses to run when a gateway already answers. Kafka is restarted only
 * when the launcher started it. Every client retry reuses its Idempotency-Key, as a front end's
 * must. Exit code 1 when a check fails.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICES, type ServiceName } from '@mallard/contracts';
import pg from 'pg';
import { Agent, request } from 'undici';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { jwtSecretFromEnv } from '../apps/gateway/src/auth/jwt-secret.js';
import { ensureInfrastructure, killAndWait, readPidFile } from '../deploy/local/infra.mjs';

interface Options {
  orders: number;
  concurrency: number;
  flashUnits: number;
  seed: number;
  gateway: string;
  /** Only the faults whose name contains one of these words (e.g. `Kafka`, `payments`); all when empty. */
  only: string[];
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    orders: 5_000,
    concurrency: 24,
    flashUnits: 200,
    seed: Date.now() % 100_000,
    gateway: 'http://127.0.0.1:3000',
    only: [],
  };
  for (let index = 0; index < argv.length; index += 1) {
    const value = (): number => Number(argv[++index]);
    const arg = argv[index];
    if (arg === '--orders') options.orders = value();
    else if (arg === '--concurrency') options.concurrency = value();
    else if (arg === '--flash-units') options.flashUnits = value();
    else if (arg === '--seed') options.seed = value();
    else if (arg === '--gateway') options.gateway = argv[++index];
    else if (arg === '--only') options.only = argv[++index].split(',');
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

const options = parseOptions(process.argv.slice(2));
const REPO = process.cwd();
const STATE_DIR = path.join(REPO, '.mallard');
const runId = randomUUID().slice(0, 8);
const agent = new Agent({ connections: options.concurrency + 8, keepAliveTimeout: 10_000 });
const tokens = new AccessTokens({ secret: jwtSecretFromEnv(process.env), issuer: 'mallard' });
const log = (message: string): void => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** A small deterministic generator, so a run's choices can be replayed with --seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
const rand = random(options.seed);

// ---------------------------------------------------------------------------------------------
// HTTP, as a careful front end does it: the same Idempotency-Key on every retry.
// ---------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  method: 'GET' | 'POST' | 'PUT',
  route: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await request(`${options.gateway}${route}`, {
    method,
    dispatcher: agent,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await response.body.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.statusCode, body: parsed };
}

const outcomes = new Map<string, number>();

/** ` <problem type>` for a refused request, so a run's answers say why. */
const problemSlug = (answer: Answer): string =>
  answer.status >= 400 && typeof answer.body.type === 'string' ? ` ${answer.body.type.split('/').pop()}` : '';
const count = (label: string): void => void outcomes.set(label, (outcomes.get(label) ?? 0) + 1);

/** Retries what may succeed later (no answer, 5xx, 429, 404 before an event arrived) for up to two minutes. */
async function persist(label: string, attempt: () => Promise<Answer>, retryOn404 = false): Promise<Answer> {
  const deadline = Date.now() + 120_000;
  for (let tries = 1; ; tries += 1) {
    let answer: Answer;
    try {
      answer = await attempt();
    } catch {
      answer = { status: 0, body: {} };
    }
    if (answer.status >= 500 || answer.status === 0) count(`${label} ${answer.status || 'no answer'} (retried)`);
    const retry = answer.status === 0 || answer.status >= 500 || answer.status === 429 || (retryOn404 && answer.status === 404);
    if (!retry || Date.now() > deadline) return answer;
    await sleep(Math.min(100 * tries, 2_000));
  }
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

function launcher(command: 'up' | 'down'): void {
  const result = spawnSync(process.execPath, ['deploy/local/mallard.mjs', command], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RATE_LIMIT_PER_MINUTE: '0' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`mallard ${command} failed:\n${result.stdout}\n${result.stderr}`);
}

const infraLog = (message: string): void => log(`  ${message}`);

async function restartInfrastructure(): Promise<void> {
  await ensureInfrastructure({ stateDir: STATE_DIR, log: infraLog });
}

type Fault = { name: string; run: () => Promise<string> };

function faults(): Fault[] {
  const list: Fault[] = (Object.keys(SERVICES) as ServiceName[]).map((service) => ({
    name: `kill -9 ${service}`,
    run: async () => {
      const pid = readPidFile(path.join(STATE_DIR, 'run', `${service}.pid`));
      if (pid === undefined) return 'not running';
      process.kill(pid, 'SIGKILL');
      await killAndWait(pid, 'SIGKILL', 5_000);
      await sleep(1_000 + rand() * 3_000);
      launcher('up');
      return 'restarted';
    },
  }));
  list.push({
    name: 'kill -9 Kafka',
    run: async () => {
      const pid = readPidFile(path.join(STATE_DIR, 'run', 'kafka.pid'));
      if (pid === undefined) return 'skipped: this broker was not started by the launcher';
      process.kill(pid, 'SIGKILL');
      await killAndWait(pid, 'SIGKILL', 10_000);
      await sleep(5_000 + rand() * 10_000);
      await restartInfrastructure();
      return 'restarted';
    },
  });
  list.push({
    name: 'crash PostgreSQL',
    run: async () => {
      const pid = readPidFile(path.join(STATE_DIR, 'run', 'postgres.pid'));
      if (pid === undefined) return 'skipped: this server was not started by the launcher';
      // SIGQUIT is PostgreSQL's immediate shutdown: no checkpoint, crash recovery at the next start.
      process.kill(pid, 'SIGQUIT');
      await killAndWait(pid, 'SIGQUIT', 15_000);
      await sleep(3_000 + rand() * 7_000);
      await restartInfrastructure();
      return 'restarted';
    },
  });
  // A random order of the faults, each once.
  return list
    .filter((fault) => options.only.length === 0 || options.only.some((word) => fault.name.toLowerCase().includes(word.toLowerCase())))
    .map((fault) => ({ fault, key: rand() }))
    .sort((a, b) => a.key - b.key)
    .map(({ fault }) => fault);
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

const receiver = { name: 'Chaos Shopper', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Chaos Road' } };

interface Shopper {
  id: string;
  token: string;
  giftCard: string;
}

async function setUp(admin: string, shoppers: number): Promise<{ skus: string[]; flashSku: string; buyers: Shopper[] }> {
  const must = async (label: string, answer: Promise<Answer>, ok = [200, 201]): Promise<Answer> => {
    const result = await answer;
    if (!ok.includes(result.status)) throw new Error(`${label}: ${result.status} ${JSON.stringify(result.body)}`);
    return result;
  };
  await must(
    'merchant',
    call('PUT', '/api/v1/admin/merchants/chaos-mall', admin, { name: 'Chaos mall', defaultStockPolicy: 'RESERVE_ON_ORDER' }),
  );
  for (const warehouse of ['chaos-wh-1', 'chaos-wh-2']) {
    await must(
      'warehouse',
      call('PUT', `/api/v1/admin/warehouses/${warehouse}`, admin, { name: warehouse, fulfilmentType: 'SELF_OPERATED' }),
    );
  }
  const skus = Array.from({ length: 8 }, (_, index) => `chaos-${runId}-${index}`);
  const flashSku = `chaos-${runId}-flash`;
  for (const skuId of [...skus, flashSku]) {
    const flash = skuId === flashSku;
    await must(
      `sku ${skuId}`,
      call('PUT', `/api/v1/admin/skus/${skuId}`, admin, {
        merchantId: 'chaos-mall',
        name: flash ? 'Flash sale kettle' : `Chaos item ${skuId}`,
        priceMinor: flash ? 990 : 1990 + skus.indexOf(skuId) * 7,
        currency: 'CNY',
        onShelf: true,
        fulfilmentType: 'SELF_OPERATED',
        stockPolicy: flash ? 'DEDUCT_ON_PAYMENT' : 'RESERVE_ON_ORDER',
        scarce: flash,
      }),
    );
    const units = flash ? options.flashUnits : 1_000_000;
    const first = Math.ceil(units / 2);
    for (const [warehouseId, quantity] of [
      ['chaos-wh-1', first],
      ['chaos-wh-2', units - first],
    ] as const) {
      if (quantity > 0) {
        await must(
          'receipt',
          call('POST', '/api/v1/admin/stock/movements', admin, { skuId, warehouseId, kind: 'RECEIPT', quantity, reason: 'chaos stock' }),
        );
      }
    }
  }
  const buyers: Shopper[] = [];
  for (let index = 0; index < shoppers; index += 1) {
    const id = `chaos-${runId}-buyer-${index}`;
    await must(
      'points',
      call('POST', '/api/v1/admin/points/grants', admin, {
        buyerId: id,
        points: 1_000_000_000,
        reason: 'chaos',
        grantId: `chaos-${runId}-${index}`,
      }),
    );
    const card = await must('gift card', call('POST', '/api/v1/admin/gift-cards', admin, { currency: 'CNY', amountMinor: 100_000_000 }));
    buyers.push({ id, token: tokens.sign({ sub: id, roles: ['shopper'], ttlSeconds: 6 * 3600 }), giftCard: String(card.body.code) });
  }
  // Orders learns SKUs from inventory's events: wait until it prices the last one.
  const probe = buyers[0];
  for (const deadline = Date.now() + 60_000; ; ) {
    const answer = await call(
      'POST',
      '/api/v1/orders',
      probe.token,
      { lines: [{ skuId: flashSku, quantity: 1 }], receiver, paymentMethod: 'ONLINE' },
      { 'idempotency-key': randomUUID() },
    );
    if (answer.status === 201) {
      await call('POST', `/api/v1/orders/${String(answer.body.id)}/cancel`, probe.token);
      break;
    }
    if (Date.now() > deadline) throw new Error(`orders never learned the SKUs: ${answer.status} ${JSON.stringify(answer.body)}`);
    await sleep(300);
  }
  return { skus, flashSku, buyers };
}

interface Placed {
  orderId: string;
  buyer: Shopper;
  flash: boolean;
  payable: number;
  paid: boolean;
  cancelled: boolean;
}

async function checkout(buyer: Shopper, skuId: string, flash: boolean): Promise<Placed | undefined> {
  const placeKey = randomUUID();
  const body = { lines: [{ skuId, quantity: flash ? 1 : 1 + Math.floor(rand() * 2) }], receiver, paymentMethod: 'ONLINE' };
  const placed = await persist('place', () => call('POST', '/api/v1/orders', buyer.token, body, { 'idempotency-key': placeKey }));
  count(`place ${placed.status}${problemSlug(placed)}`);
  if (placed.status !== 201 && placed.status !== 200) return undefined;
  const orderId = String(placed.body.id);
  const payable = (placed.body.amounts as { payable: number }).payable;
  const order: Placed = { orderId, buyer, flash, payable, paid: false, cancelled: false };
  if (rand() < 0.05) {
    const cancelled = await persist('cancel', () => call('POST', `/api/v1/orders/${orderId}/cancel`, buyer.token));
    count(`cancel ${cancelled.status}${problemSlug(cancelled)}`);
    order.cancelled = cancelled.status === 200;
    return order;
  }
  // Some pay with a gift card and points together, the rest with points alone.
  const giftPart = rand() < 0.3 ? Math.min(payable - 1, 100 + Math.floor(rand() * 500)) : 0;
  const tenders =
    giftPart > 0
      ? [
          { type: 'GIFT_CARD', code: buyer.giftCard, amountMinor: giftPart },
          { type: 'POINTS', points: payable - giftPart },
        ]
      : [{ type: 'POINTS', points: payable }];
  const payKey = randomUUID();
  const paid = await persist(
    'pay',
    () => call('POST', `/api/v1/orders/${orderId}/payments`, buyer.token, { tenders }, { 'idempotency-key': payKey }),
    true,
  );
  count(`pay ${paid.status}${problemSlug(paid)}`);
  order.paid = paid.status === 201 || paid.status === 200;
  return order;
}

// ---------------------------------------------------------------------------------------------
// Checks, read straight from each service's database once everything has settled
// ---------------------------------------------------------------------------------------------

async function withDatabase<T>(databaseUrl: string, name: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** How long the outboxes may take to drain after the orders settled. */
const OUTBOX_DRAIN_SECONDS = 30;

interface Check {
  name: string;
  failures: number;
  detail?: string;
}

async function settle(databaseUrl: string, orderIds: string[]): Promise<{ seconds: number; unsettled: number }> {
  const started = Date.now();
  for (;;) {
    const unsettled = await withDatabase(databaseUrl, SERVICES.orders.database, async (client) => {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) FROM parent_order WHERE id = ANY($1::uuid[]) AND state NOT IN ('SPLIT', 'CANCELLED', 'FAILED', 'AWAITING_PAYMENT')`,
        [orderIds],
      );
      return Number(rows[0].count);
    }).catch(() => Number.POSITIVE_INFINITY);
    const seconds = (Date.now() - started) / 1000;
    if (unsettled === 0 || seconds > 60) return { seconds, unsettled };
    await sleep(1_000);
  }
}

async function checks(databaseUrl: string, placed: Placed[], flashSku: string): Promise<Check[]> {
  const ids = placed.map((order) => order.orderId);
  const results: Check[] = [];

  const ordersView = await withDatabase(databaseUrl, SERVICES.orders.database, async (client) => {
    const { rows } = await client.query<{ id: string; state: string }>('SELECT id, state FROM parent_order WHERE id = ANY($1::uuid[])', [
      ids,
    ]);
    return new Map(rows.map((row) => [row.id, row.state]));
  });

  await withDatabase(databaseUrl, SERVICES.inventory.database, async (client) => {
    const ledger = await client.query<{ sku_id: string; warehouse_id: string }>(
      `SELECT l.sku_id, l.warehouse_id FROM stock_level l
         LEFT JOIN (SELECT sku_id, warehouse_id, sum(on_hand_delta) AS on_hand, sum(held_delta) AS held FROM stock_movement GROUP BY 1, 2) m
           USING (sku_id, warehouse_id)
        WHERE l.on_hand <> coalesce(m.on_hand, 0) OR l.held <> coalesce(m.held, 0)`,
    );
    results.push({ name: 'stock ledger equals stock levels', failures: ledger.rowCount ?? 0 });
    const flash = await client.query<{ deducted: string; held: string; negative: string }>(
      `SELECT coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'DEDUCTION'), 0) AS deducted,
              (SELECT coalesce(sum(held), 0) FROM stock_level WHERE sku_id = $1) AS held,
              (SELECT count(*) FROM stock_level WHERE on_hand < 0 OR held < 0 OR held > on_hand) AS negative
         FROM stock_movement WHERE sku_id = $1`,
      [flashSku],
    );
    const sold = Number(flash.rows[0].deducted) + Number(flash.rows[0].held);
    results.push({
      name: 'oversold',
      failures: Math.max(0, sold - options.flashUnits) + Number(flash.rows[0].negative),
      detail: `flash sale: ${sold} of ${options.flashUnits} units sold or held`,
    });
    const unheard = await client.query<{ count: string }>(
      `SELECT count(*) FROM unnest($1::uuid[]) AS id WHERE NOT EXISTS (SELECT 1 FROM order_stock WHERE order_id = id)`,
      [ids],
    );
    results.push({ name: 'orders inventory never heard of (events lost)', failures: Number(unheard.rows[0].count) });
  });

  await withDatabase(databaseUrl, SERVICES.payments.database, async (client) => {
    const twice = await client.query<{ order_id: string }>(
      `SELECT p.order_id FROM payment p JOIN payable_order o USING (order_id)
        WHERE p.order_id = ANY($1::uuid[]) AND p.state IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED')
        GROUP BY p.order_id, o.payable_minor HAVING sum(p.amount_minor - p.refunded_minor) > o.payable_minor`,
      [ids],
    );
    results.push({ name: 'payments charged twice', failures: twice.rowCount ?? 0 });
    const overRefunded = await client.query<{ id: string }>(
      `SELECT p.id FROM payment p JOIN refund r ON r.payment_id = p.id AND r.state = 'SUCCEEDED'
        GROUP BY p.id, p.amount_minor HAVING sum(r.amount_minor) > p.amount_minor`,
    );
    results.push({ name: 'refunds over what was paid', failures: overRefunded.rowCount ?? 0 });
    const keptForClosed = await client.query<{ order_id: string; kept: string }>(
      `SELECT order_id, sum(amount_minor - refunded_minor) AS kept FROM payment
        WHERE order_id = ANY($1::uuid[]) AND state IN ('SUCCEEDED', 'PARTIALLY_REFUNDED') GROUP BY order_id`,
      [ids],
    );
    const closedButCharged = keptForClosed.rows.filter(
      (row) => ['CANCELLED', 'FAILED'].includes(ordersView.get(row.order_id) ?? '') && Number(row.kept) > 0,
    );
    const paidButNotSplit = keptForClosed.rows.filter(
      (row) =>
        Number(row.kept) > 0 &&
        ordersView.get(row.order_id) !== 'SPLIT' &&
        !['CANCELLED', 'FAILED'].includes(ordersView.get(row.order_id) ?? ''),
    );
    results.push({ name: 'closed orders still charged (refund lost)', failures: closedButCharged.length });
    results.push({ name: 'paid orders not split (events lost)', failures: paidButNotSplit.length });
    const points = await client.query<{ buyer_id: string }>(
      `SELECT a.buyer_id FROM points_account a LEFT JOIN (SELECT buyer_id, sum(delta_points) AS total FROM points_entry GROUP BY 1) e USING (buyer_id)
        WHERE a.balance <> coalesce(e.total, 0)`,
    );
    const cards = await client.query<{ code: string }>(
      `SELECT g.code FROM gift_card g LEFT JOIN (SELECT code, sum(delta_minor) AS total FROM gift_card_entry GROUP BY 1) e USING (code)
        WHERE g.balance_minor <> coalesce(e.total, 0)`,
    );
    results.push({ name: 'points and gift-card ledgers differ from balances', failures: (points.rowCount ?? 0) + (cards.rowCount ?? 0) });
  });

  // Events still flow downstream once the orders settled (sub-orders, deductions, invoices), and
  // new ones keep being written: a row counts as stuck when it was already there when the orders
  // settled and is still there after the relays had time to send it.
  const outboxed = async (upTo?: Map<ServiceName, string>) =>
    Promise.all(
      (Object.keys(SERVICES) as ServiceName[]).map(async (service) => {
        const row = await withDatabase(databaseUrl, SERVICES[service].database, async (client) => {
          const limit = upTo?.get(service) ?? null;
          const { rows } = await client.query<{ count: string; last: string | null }>(
            'SELECT count(*) FILTER (WHERE $1::bigint IS NULL OR position <= $1::bigint) AS count, max(position)::text AS last FROM outbox_message',
            [limit],
          );
          return { count: Number(rows[0].count), last: rows[0].last };
        }).catch(() => ({ count: 0, last: null }));
        return { service, ...row };
      }),
    );
  let outbox = await outboxed();
  const settledAt = new Map(outbox.flatMap(({ service, last }) => (last === null ? [] : [[service, last] as const])));
  for (let waited = 0; waited < OUTBOX_DRAIN_SECONDS && outbox.some(({ count }) => count > 0); waited += 1) {
    await sleep(1_000);
    outbox = await outboxed(settledAt);
  }
  const stuck = outbox.filter(({ count }) => count > 0);
  results.push({
    name: `events written before the orders settled and still in an outbox ${OUTBOX_DRAIN_SECONDS} s later`,
    failures: stuck.reduce((sum, { count }) => sum + count, 0),
    detail: stuck.map(({ service, count }) => `${service} ${count}`).join(', ') || undefined,
  });
  return results;
}

// ---------------------------------------------------------------------------------------------

async function gatewayAnswers(): Promise<boolean> {
  try {
    const response = await request(`${options.gateway}/health/live`, { dispatcher: agent, headersTimeout: 2_000 });
    await response.body.dump();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (await gatewayAnswers()) {
    throw new Error('a gateway already answers on port 3000: stop the suite first (`npm stop`); the chaos run starts and crashes its own');
  }
  // The launcher (and the in-process restarts below) must start an embedded PostgreSQL this run may crash.
  process.env.MALLARD_PG_PROBE_URL = 'postgres://postgres@127.0.0.1:1/postgres';
  log(`seed ${options.seed}; ${options.orders} orders, ${options.concurrency} at a time, flash sale of ${options.flashUnits} units`);
  launcher('up');
  const infra = JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'run', 'infra.json'), 'utf8')) as { databaseUrl: string };
  try {
    const admin = tokens.sign({ sub: `chaos-admin-${runId}`, roles: ['admin'], ttlSeconds: 6 * 3600 });
    // Enough shoppers that the per-buyer cap on unpaid orders rarely bites while events are held up by a fault.
    const { skus, flashSku, buyers } = await setUp(admin, Math.max(options.concurrency * 20, 500));
    log(`catalog and ${buyers.length} shoppers ready`);

    const placed: Placed[] = [];
    let issued = 0;
    let loadDone = false;
    let faultsDone = false;
    const started = Date.now();
    const load = Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        // Until the wanted number of orders is placed and every fault was applied under load;
        // attempts are bounded by 3× the wanted number.
        while ((placed.length < options.orders || !faultsDone) && issued < options.orders * 3) {
          const index = issued++;
          const flash = rand() < 0.1;
          const order = await checkout(buyers[index % buyers.length], flash ? flashSku : skus[index % skus.length], flash);
          if (order) placed.push(order);
        }
      }),
    ).finally(() => {
      loadDone = true;
    });

    const applied: { fault: string; outcome: string; at: number }[] = [];
    const schedule = faults();
    for (const fault of schedule) {
      await sleep(4_000 + rand() * 8_000);
      if (loadDone) break;
      const at = (Date.now() - started) / 1000;
      log(`fault at ${at.toFixed(0)} s: ${fault.name} (${placed.length} orders so far)`);
      const outcome = await fault.run().catch((error: Error) => `failed: ${error.message.split('\n')[0]}`);
      log(`  ${fault.name}: ${outcome}`);
      applied.push({ fault: fault.name, outcome, at });
    }
    faultsDone = true;
    const lastFault = Date.now();
    await load;
    const seconds = (Date.now() - started) / 1000;
    log(`load done: ${placed.length} orders placed in ${seconds.toFixed(0)} s (${(placed.length / seconds).toFixed(1)}/s)`);

    const { seconds: settleSeconds, unsettled } = await settle(
      infra.databaseUrl,
      placed.map((order) => order.orderId),
    );
    const sinceLastFault = (Date.now() - lastFault) / 1000;
    const results = [
      {
        name: `orders not terminal or stable 60 s after the load (settled in ${settleSeconds.toFixed(0)} s, ${sinceLastFault.toFixed(0)} s after the last fault)`,
        failures: unsettled,
      },
      ...(await checks(infra.databaseUrl, placed, flashSku)),
    ];

    console.log('\n== Chaos run');
    console.log(
      `seed ${options.seed}   orders placed ${placed.length}   paid ${placed.filter((o) => o.paid).length}   cancelled ${placed.filter((o) => o.cancelled).length}   flash-sale orders ${placed.filter((o) => o.flash).length}`,
    );
    console.log(
      `answers: ${[...outcomes]
        .sort()
        .map(([label, n]) => `${label}×${n}`)
        .join('  ')}`,
    );
    console.log('faults:');
    for (const { fault, outcome, at } of applied) console.log(`  ${at.toFixed(0).padStart(4)} s  ${fault.padEnd(22)} ${outcome}`);
    console.log('checks:');
    for (const check of results)
      console.log(
        `  ${check.failures === 0 ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.failures}${check.detail ? ` (${check.detail})` : ''}`,
      );
    if (results.some((check) => check.failures > 0)) process.exitCode = 1;
  } finally {
    await agent.close();
    launcher('down');
  }
}

await main();
