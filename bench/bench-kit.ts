/**
 * What every `npm run bench` mode shares: its options, the HTTP client it drives the gateway
 * with, starting and stopping the suite, the set-up of a catalog and the way figures are printed.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { jwtSecretFromEnv } from '../apps/gateway/src/auth/jwt-secret.js';
import { DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE } from '../apps/gateway/src/edge/rate-limit.js';

export const MODES = ['place', 'flash', 'checkout', 'webhooks'] as const;
export type Mode = (typeof MODES)[number];

export interface Options {
  mode: Mode;
  concurrency: number;
  durationSeconds: number;
  units: number;
  buyers: number;
  gateway: string;
  skus: number;
  /** webhooks: carrier notifications posted per second. */
  rate: number;
  /** webhooks: parcels to set up; by default enough for the rate over the duration. */
  parcels?: number;
}

export function parseOptions(argv: string[]): Options {
  const options: Options = {
    mode: 'place',
    concurrency: 64,
    durationSeconds: 30,
    units: 100,
    buyers: 2000,
    gateway: 'http://127.0.0.1:3000',
    skus: 20,
    rate: 600,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const next = (): string => argv[++index];
    if ((MODES as readonly string[]).includes(arg)) options.mode = arg as Mode;
    else if (arg === '--concurrency') options.concurrency = Number(next());
    else if (arg === '--duration') options.durationSeconds = Number(next());
    else if (arg === '--units') options.units = Number(next());
    else if (arg === '--buyers') options.buyers = Number(next());
    else if (arg === '--skus') options.skus = Number(next());
    else if (arg === '--gateway') options.gateway = next();
    else if (arg === '--rate') options.rate = Number(next());
    else if (arg === '--parcels') options.parcels = Number(next());
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

/**
 * One request to the gateway. A request that gets no answer (the connection refused, or dropped
 * while a service restarts) answers status 0 with the error's code in `body.error`: a benchmark
 * counts it as a failure and goes on, as a client would retry.
 */
export type Call = (
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  token: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: Record<string, unknown> }>;

export interface Bench {
  options: Options;
  /** Makes this run's ids (SKUs, shoppers, tracking numbers) its own. */
  runId: string;
  agent: Agent;
  tokens: AccessTokens;
  call: Call;
  gatewayReady: () => Promise<boolean>;
}

export function createBench(argv: string[]): Bench {
  const options = parseOptions(argv);
  const agent = new Agent({ connections: Math.max(options.concurrency, 16), keepAliveTimeout: 30_000, pipelining: 1 });
  const call: Call = async (method, path, token, body, headers = {}) => {
    try {
      const response = await request(`${options.gateway}${path}`, {
        method,
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.body.text();
      return { status: response.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    } catch (error) {
      const { code, name } = error as { code?: string; name?: string };
      return { status: 0, body: { error: code ?? name ?? 'no answer' } };
    }
  };
  const gatewayReady = async (): Promise<boolean> => {
    try {
      const response = await request(`${options.gateway}/health/ready`, { dispatcher: agent });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  };
  return {
    options,
    runId: randomUUID().slice(0, 8),
    agent,
    tokens: new AccessTokens({ secret: jwtSecretFromEnv(process.env), issuer: 'mallard' }),
    call,
    gatewayReady,
  };
}

/**
 * The gateway's limit on webhooks per source address for a suite the benchmark starts: twice
 * what the target rate posts in the limiter's minute, so the limiter stays in the path without
 * refusing the benchmark (the default, 6,000 a minute, is 100/s).
 */
export function webhookRateLimitFor(options: Options): number {
  return Math.max(DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE, Math.ceil(options.rate * 60 * 2));
}

/** Starts the suite (`npm start`) when the gateway does not answer; `stop` stops what was started. */
export async function startSuiteUnlessUp(bench: Bench): Promise<{ started: boolean; stop: () => void }> {
  if (await bench.gatewayReady()) return { started: false, stop: () => undefined };
  console.log('gateway not answering: starting the suite (npm start)…');
  const env = {
    ...process.env,
    // Benchmark shoppers place many orders they never pay: the per-buyer unpaid caps would refuse them.
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_UNPAID_ORDERS_PER_BUYER: '0',
    MAX_HELD_UNITS_PER_BUYER: '0',
    WEBHOOK_RATE_LIMIT_PER_MINUTE: String(webhookRateLimitFor(bench.options)),
  };
  const up = spawnSync(process.execPath, ['deploy/local/mallard.mjs', 'up'], { stdio: 'inherit', env });
  if (up.status !== 0) throw new Error('npm start failed');
  return {
    started: true,
    stop: () => {
      spawnSync(process.execPath, ['deploy/local/mallard.mjs', 'down'], { stdio: 'inherit' });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function latencyLine(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(1).padStart(7));
  return `${label.padEnd(30)} p50 ${f(percentile(sorted, 50))} ms   p95 ${f(percentile(sorted, 95))} ms   p99 ${f(percentile(sorted, 99))} ms   max ${f(sorted.at(-1) ?? NaN)} ms   (n=${sorted.length})`;
}

/** `201×2990  422×10  error×1`: how many answers had each status (0: no answer). */
export function statusCounts(attempts: readonly { status: number }[]): string {
  const counts = new Map<number, number>();
  for (const attempt of attempts) counts.set(attempt.status, (counts.get(attempt.status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status || 'error'}×${count}`)
    .join('  ');
}

/** An order of one line per SKU, `quantity` units each. */
export function orderBody(skuIds: string | string[], quantity = 1): unknown {
  return {
    lines: (Array.isArray(skuIds) ? skuIds : [skuIds]).map((skuId) => ({ skuId, quantity })),
    receiver: { name: 'Bench Shopper', phone: '+8613800000000', address: { country: 'CN', city: 'Hangzhou', street: '1 Bench Road' } },
    paymentMethod: 'ONLINE',
  };
}

/** The warehouses setUpCatalog stocks each SKU in, half and half. */
export const BENCH_WAREHOUSES = ['bench-wh-1', 'bench-wh-2'] as const;
/** The warehouse of SKU `index` when each has its own (setUpCatalog's `ownWarehouses`). */
export const skuWarehouseId = (index: number): string => `bench-wh-sku-${index}`;

/**
 * The benchmark's merchant, warehouses and SKUs with plenty of stock. Each SKU is split over the
 * two bench warehouses, so allocation has a choice to make; with `ownWarehouses` each SKU has a
 * warehouse of its own instead, so an order of several SKUs splits into as many sub-orders.
 */
export async function setUpCatalog(
  bench: Bench,
  admin: string,
  skuCount: number,
  unitsEach: number,
  scarce: boolean,
  ownWarehouses = false,
): Promise<string[]> {
  const { call, runId, tokens } = bench;
  const put = async (path: string, body: unknown): Promise<void> => {
    const response = await call('PUT', path, admin, body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  await put(`/api/v1/admin/merchants/bench-mall`, { name: 'Bench mall', defaultStockPolicy: 'RESERVE_ON_ORDER' });
  const warehouses = ownWarehouses ? Array.from({ length: skuCount }, (_, index) => skuWarehouseId(index)) : BENCH_WAREHOUSES;
  for (const [index, warehouseId] of warehouses.entries()) {
    await put(`/api/v1/admin/warehouses/${warehouseId}`, { name: `Bench warehouse ${index + 1}`, fulfilmentType: 'SELF_OPERATED' });
  }
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
    const firstHalf = Math.ceil(unitsEach / 2);
    const stocked: [string, number][] = ownWarehouses
      ? [[skuWarehouseId(index), unitsEach]]
      : [
          [BENCH_WAREHOUSES[0], firstHalf],
          [BENCH_WAREHOUSES[1], unitsEach - firstHalf],
        ];
    for (const [warehouseId, quantity] of stocked) {
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

/**
 * Pays an order at once with loyalty points (granted at set-up). Payments learns of a new order
 * from order.placed: until then it answers 404 with Retry-After, and a front end tries again, as
 * this does for up to 15 s.
 */
export async function payWithPoints(bench: Bench, token: string, orderId: string, points: number): ReturnType<Call> {
  const started = performance.now();
  const payKey = randomUUID();
  const pay = () =>
    bench.call(
      'POST',
      `/api/v1/orders/${orderId}/payments`,
      token,
      { tenders: [{ type: 'POINTS', points }] },
      { 'idempotency-key': payKey },
    );
  let paid = await pay();
  while (paid.status === 404 && performance.now() - started < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    paid = await pay();
  }
  return paid;
}
