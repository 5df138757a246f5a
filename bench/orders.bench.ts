/**
 * Order placement benchmark: drives the running suite through the gateway, as front ends do.
 *
 *   npm run bench                                  # place mode, 64 concurrent, 30 s
 *   npm run bench -- place --concurrency 128 --duration 60
 *   npm run bench -- flash --units 100 --buyers 2000 --concurrency 200
 *   npm run bench -- checkout --concurrency 64 --duration 30
 *
 * place: distinct shoppers place 1-line orders of plentiful reserve-on-order SKUs for the
 *   duration; prints orders/s, HTTP answer latency and placed → stock-held latency (HTTP
 *   answer to the stock.reserved event, read from Kafka).
 * flash: many shoppers race for a few units of one SKU; prints attempts/s and checks that
 *   exactly the stock was held and nothing was oversold (exit code 1 if it was).
 * checkout: each shopper places an order and pays it at once with loyalty points (granted at
 *   set-up); prints checkouts/s and the latency of both answers.
 *
 * Starts the suite (`npm start`) when the gateway does not answer, and stops it afterwards.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { Topics } from '@mallard/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { Agent, request } from 'undici';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { jwtSecretFromEnv } from '../apps/gateway/src/auth/jwt-secret.js';

interface Options {
  mode: 'place' | 'flash' | 'checkout';
  concurrency: number;
  durationSeconds: number;
  units: number;
  buyers: number;
  gateway: string;
  skus: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    mode: 'place',
    concurrency: 64,
    durationSeconds: 30,
    units: 100,
    buyers: 2000,
    gateway: 'http://127.0.0.1:3000',
    skus: 20,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const next = (): string => argv[++index];
    if (arg === 'place' || arg === 'flash' || arg === 'checkout') options.mode = arg;
    else if (arg === '--concurrency') options.concurrency = Number(next());
    else if (arg === '--duration') options.durationSeconds = Number(next());
    else if (arg === '--units') options.units = Number(next());
    else if (arg === '--buyers') options.buyers = Number(next());
    else if (arg === '--skus') options.skus = Number(next());
    else if (arg === '--gateway') options.gateway = next();
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

const options = parseOptions(process.argv.slice(2));
const runId = randomUUID().slice(0, 8);
const agent = new Agent({ connections: Math.max(options.concurrency, 16), keepAliveTimeout: 30_000, pipelining: 1 });
const tokens = new AccessTokens({ secret: jwtSecretFromEnv(process.env), issuer: 'mallard' });

async function call(method: 'GET' | 'POST' | 'PUT', path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await request(`${options.gateway}${path}`, {
    method,
    dispatcher: agent,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function gatewayReady(): Promise<boolean> {
  try {
    const response = await request(`${options.gateway}/health/ready`, { dispatcher: agent });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function latencyLine(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(1).padStart(7));
  return `${label.padEnd(30)} p50 ${f(percentile(sorted, 50))} ms   p95 ${f(percentile(sorted, 95))} ms   p99 ${f(percentile(sorted, 99))} ms   max ${f(sorted.at(-1) ?? NaN)} ms   (n=${sorted.length})`;
}

/** Listens for inventory's answers to our orders, from the moment the load starts. */
async function tapStockEvents(): Promise<{ outcomes: Map<string, { type: string; at: number }>; stop: () => Promise<void> }> {
  const kafka = new Kafka({
    clientId: `bench-${runId}`,
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `bench-${runId}` });
  const outcomes = new Map<string, { type: string; at: number }>();
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.inventory, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const type = message.headers?.ce_type?.toString();
      if (type === 'stock.reserved' || type === 'stock.reservation-failed') {
        const orderId = message.key?.toString();
        if (orderId && !outcomes.has(orderId)) outcomes.set(orderId, { type, at: performance.now() });
      }
    },
  });
  await joined;
  // The group starts at the end of the log once its first fetch resolved the offsets.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return { outcomes, stop: () => consumer.disconnect() };
}

async function setUpCatalog(admin: string, skuCount: number, unitsEach: number, scarce: boolean): Promise<string[]> {
  const put = async (path: string, body: unknown): Promise<void> => {
    const response = await call('PUT', path, admin, body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  await put(`/api/v1/admin/merchants/bench-mall`, { name: 'Bench mall', defaultStockPolicy: 'RESERVE_ON_ORDER' });
  await put(`/api/v1/admin/warehouses/bench-wh-1`, { name: 'Bench warehouse 1', fulfilmentType: 'SELF_OPERATED' });
  await put(`/api/v1/admin/warehouses/bench-wh-2`, { name: 'Bench warehouse 2', fulfilmentType: 'SELF_OPERATED' });
  const skuIds: string[] = [];
  for (let index = 0; index < skuCount; index += 1) {
    const skuId = `bench-${runId}-${index}`;
    await put(`/api/v1/admin/skus/${skuId}`, {
      merchantId: 'bench-mall',
      name: `Bench item ${index}`,
      priceMinor: 1999 + index,
      currency: 'CNY',
      onShelf: true,
      fulfilmentType: 'SELF_OPERATED',
      stockPolicy: 'RESERVE_ON_ORDER',
      scarce,
    });
    // Split over two warehouses, so allocation has a choice to make.
    const firstHalf = Math.ceil(unitsEach / 2);
    for (const [warehouseId, quantity] of [
      ['bench-wh-1', firstHalf],
      ['bench-wh-2', unitsEach - firstHalf],
    ] as const) {
      if (quantity === 0) continue;
      const response = await call('POST', '/api/v1/admin/stock/movements', admin, {
        skuId,
        warehouseId,
        kind: 'RECEIPT',
        quantity,
        reason: 'benchmark stock',
      });
      if (response.status >= 300) throw new Error(`receipt: ${response.status} ${JSON.stringify(response.body)}`);
    }
    skuIds.push(skuId);
  }
  // Orders learns SKUs from inventory's events: wait until it can price the last one.
  const probe = tokens.sign({ sub: `bench-probe-${runId}`, roles: ['shopper'], ttlSeconds: 3600 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await call('POST', '/api/v1/orders', probe, orderBody(skuIds.at(-1)!), { 'idempotency-key': randomUUID() });
    if (response.status === 201) {
      await call('POST', `/api/v1/orders/${String(response.body.id)}/cancel`, probe);
      break;
    }
    if (Date.now() > deadline)
      throw new Error(`orders never learned the benchmark SKUs: ${response.status} ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return skuIds;
}

function orderBody(skuId: string): unknown {
  return {
    lines: [{ skuId, quantity: 1 }],
    receiver: { name: 'Bench Shopper', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Bench Road' } },
    paymentMethod: 'ONLINE',
  };
}

interface Attempt {
  status: number;
  startedAt: number;
  answeredAt: number;
  orderId?: string;
}

async function runLoad(work: {
  next: () => { token: string; skuId: string } | undefined;
}): Promise<{ attempts: Attempt[]; seconds: number }> {
  const attempts: Attempt[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let job = work.next(); job; job = work.next()) {
        const startedAt = performance.now();
        try {
          const response = await call('POST', '/api/v1/orders', job.token, orderBody(job.skuId), { 'idempotency-key': randomUUID() });
          attempts.push({
            status: response.status,
            startedAt,
            answeredAt: performance.now(),
            orderId: response.status === 201 ? String(response.body.id) : undefined,
          });
        } catch {
          attempts.push({ status: 0, startedAt, answeredAt: performance.now() });
        }
      }
    }),
  );
  return { attempts, seconds: (performance.now() - started) / 1000 };
}

function statusCounts(attempts: Attempt[]): string {
  const counts = new Map<number, number>();
  for (const attempt of attempts) counts.set(attempt.status, (counts.get(attempt.status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status || 'error'}×${count}`)
    .join('  ');
}

async function waitForOutcomes(outcomes: Map<string, unknown>, orderIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && orderIds.some((id) => !outcomes.has(id))) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function main(): Promise<void> {
  let startedSuite = false;
  if (!(await gatewayReady())) {
    console.log('gateway not answering: starting the suite (npm start)…');
    // Benchmark shoppers place many orders they never pay: the per-buyer unpaid caps would refuse them.
    const env = { ...process.env, RATE_LIMIT_PER_MINUTE: '0', MAX_UNPAID_ORDERS_PER_BUYER: '0', MAX_HELD_UNITS_PER_BUYER: '0' };
    const up = spawnSync(process.execPath, ['deploy/local/mallard.mjs', 'up'], { stdio: 'inherit', env });
    if (up.status !== 0) throw new Error('npm start failed');
    startedSuite = true;
  }
  try {
    const admin = tokens.sign({ sub: `bench-admin-${runId}`, roles: ['admin'], ttlSeconds: 3600 });
    const buyerCount = options.mode === 'flash' ? options.buyers : Math.max(options.concurrency * 4, 500);
    const buyers = Array.from({ length: buyerCount }, (_, index) =>
      tokens.sign({ sub: `bench-${runId}-buyer-${index}`, roles: ['shopper'], ttlSeconds: 3600 }),
    );
    console.log(
      `\nMallard benchmark · ${options.mode} · concurrency ${options.concurrency} · ${cpus().length} cores ${cpus()[0]?.model ?? ''} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    );

    if (options.mode === 'place') {
      const skuIds = await setUpCatalog(admin, options.skus, 2_000_000, false);
      const tap = await tapStockEvents();
      const deadline = performance.now() + options.durationSeconds * 1000;
      let counter = 0;
      const { attempts, seconds } = await runLoad({
        next: () =>
          performance.now() < deadline ? { token: buyers[counter % buyers.length], skuId: skuIds[counter++ % skuIds.length] } : undefined,
      });
      const placed = attempts.filter((attempt) => attempt.orderId);
      await waitForOutcomes(
        tap.outcomes,
        placed.map((attempt) => attempt.orderId!),
        15_000,
      );
      await tap.stop();
      const held = placed.filter((attempt) => tap.outcomes.get(attempt.orderId!)?.type === 'stock.reserved');
      console.log(`requests                       ${attempts.length} in ${seconds.toFixed(1)} s   ${statusCounts(attempts)}`);
      console.log(`orders placed                  ${(placed.length / seconds).toFixed(0)} orders/s`);
      console.log(`orders with stock held         ${held.length} of ${placed.length}   (${(held.length / seconds).toFixed(0)} orders/s)`);
      console.log(
        latencyLine(
          'HTTP answer (place)',
          attempts.map((a) => a.answeredAt - a.startedAt),
        ),
      );
      console.log(
        latencyLine(
          'placed → stock held',
          held.map((a) => tap.outcomes.get(a.orderId!)!.at - a.answeredAt),
        ),
      );
    } else if (options.mode === 'checkout') {
      const skuIds = await setUpCatalog(admin, options.skus, 2_000_000, false);
      for (let index = 0; index < buyers.length; index += 1) {
        const grant = await call('POST', '/api/v1/admin/points/grants', admin, {
          buyerId: `bench-${runId}-buyer-${index}`,
          points: 1_000_000_000,
          reason: 'benchmark',
        });
        if (grant.status !== 201) throw new Error(`points grant: ${grant.status} ${JSON.stringify(grant.body)}`);
      }
      const deadline = performance.now() + options.durationSeconds * 1000;
      let counter = 0;
      const checkouts: { placeMs: number; payMs: number }[] = [];
      const failures = new Map<string, number>();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (performance.now() < deadline) {
            const index = counter++;
            const token = buyers[index % buyers.length];
            const t0 = performance.now();
            const placed = await call('POST', '/api/v1/orders', token, orderBody(skuIds[index % skuIds.length]), {
              'idempotency-key': randomUUID(),
            });
            const t1 = performance.now();
            if (placed.status !== 201) {
              failures.set(`place ${placed.status}`, (failures.get(`place ${placed.status}`) ?? 0) + 1);
              continue;
            }
            const payable = (placed.body.amounts as { payable: number }).payable;
            // Payments learns of a new order from order.placed: until then it answers 404 with
            // Retry-After, and a front end tries again, as this does.
            const payKey = randomUUID();
            let paid = await call(
              'POST',
              `/api/v1/orders/${String(placed.body.id)}/payments`,
              token,
              { tenders: [{ type: 'POINTS', points: payable }] },
              { 'idempotency-key': payKey },
            );
            while (paid.status === 404 && performance.now() - t1 < 15_000) {
              await new Promise((resolve) => setTimeout(resolve, 50));
              paid = await call(
                'POST',
                `/api/v1/orders/${String(placed.body.id)}/payments`,
                token,
                { tenders: [{ type: 'POINTS', points: payable }] },
                { 'idempotency-key': payKey },
              );
            }
            const t2 = performance.now();
            if (paid.status !== 201) {
              failures.set(`pay ${paid.status}`, (failures.get(`pay ${paid.status}`) ?? 0) + 1);
              continue;
            }
            checkouts.push({ placeMs: t1 - t0, payMs: t2 - t1 });
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `checkouts (place + pay)        ${checkouts.length} in ${seconds.toFixed(1)} s   ${(checkouts.length / seconds).toFixed(0)} checkouts/s   failures ${JSON.stringify(Object.fromEntries(failures))}`,
      );
      console.log(
        latencyLine(
          'HTTP answer (place)',
          checkouts.map((c) => c.placeMs),
        ),
      );
      console.log(
        latencyLine(
          'HTTP answer (pay)',
          checkouts.map((c) => c.payMs),
        ),
      );
      console.log(
        latencyLine(
          'checkout (place + pay)',
          checkouts.map((c) => c.placeMs + c.payMs),
        ),
      );
    } else {
      const [skuId] = await setUpCatalog(admin, 1, options.units, true);
      const tap = await tapStockEvents();
      let counter = 0;
      const { attempts, seconds } = await runLoad({
        next: () => (counter < buyers.length ? { token: buyers[counter++], skuId } : undefined),
      });
      const placed = attempts.filter((attempt) => attempt.orderId);
      await waitForOutcomes(
        tap.outcomes,
        placed.map((attempt) => attempt.orderId!),
        30_000,
      );
      await tap.stop();
      const held = placed.filter((attempt) => tap.outcomes.get(attempt.orderId!)?.type === 'stock.reserved').length;
      const refused = placed.filter((attempt) => tap.outcomes.get(attempt.orderId!)?.type === 'stock.reservation-failed').length;
      const stock = (await call('GET', `/api/v1/admin/skus/${skuId}/stock`, admin)).body as {
        totals?: { onHand: number; held: number; available: number };
      };
      const totals = stock.totals ?? { onHand: NaN, held: NaN, available: NaN };
      const oversold = held > options.units || totals.held > totals.onHand || totals.available < 0;
      console.log(
        `attempts                       ${attempts.length} in ${seconds.toFixed(1)} s (${(attempts.length / seconds).toFixed(0)} attempts/s)   ${statusCounts(attempts)}`,
      );
      console.log(
        latencyLine(
          'HTTP answer (place)',
          attempts.map((a) => a.answeredAt - a.startedAt),
        ),
      );
      console.log(`units on sale                  ${options.units}`);
      console.log(`orders with stock held         ${held}`);
      console.log(`orders refused for stock       ${refused}`);
      console.log(`orders without an answer       ${placed.length - held - refused}`);
      console.log(`stock after                    on hand ${totals.onHand}  held ${totals.held}  available ${totals.available}`);
      console.log(`oversold                       ${oversold ? 'YES' : 'no'}`);
      if (oversold || held !== Math.min(options.units, placed.length)) process.exitCode = 1;
    }
  } finally {
    await agent.close();
    if (startedSuite) spawnSync(process.execPath, ['deploy/local/mallard.mjs', 'down'], { stdio: 'inherit' });
  }
}

await main();
