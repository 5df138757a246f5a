/**
 * What every `npm run bench` mode shares: its options, the HTTP client it drives the gateway
 * with, starting and stopping the suite, the set-up of a catalog, the closed and open loops that
 * send the load, the CPU each process spends on it (from /proc), and the way figures are printed
 * and, over several runs, reduced to their medians.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { instancePort, MAX_LOCAL_INSTANCES, SERVICES, type ServiceName } from '@mallard/contracts';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { Agent, request } from 'undici';
import { AccessTokens } from '../apps/gateway/src/auth/access-token.js';
import { jwtSecretFromEnv } from '../apps/gateway/src/auth/jwt-secret.js';
import { DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE } from '../apps/gateway/src/edge/rate-limit.js';
import { DEFAULT_KAFKA_BROKERS, DEFAULT_PG_PROBE_URL } from '../deploy/local/infra.mjs';

export const MODES = ['place', 'flash', 'checkout', 'webhooks'] as const;
export type Mode = (typeof MODES)[number];
/** Modes that take --rate as an open loop of arrivals (webhooks has always posted at a rate). */
const OPEN_LOOP_MODES: readonly Mode[] = ['place', 'checkout', 'webhooks'];
/** Carrier notifications per second when `webhooks` is not given --rate. */
export const DEFAULT_WEBHOOK_RATE = 600;

export interface Options {
  mode: Mode;
  /** Closed loop: requests out at once, each sent when the one before it is answered. Open loop: the most out at once. */
  concurrency: number;
  durationSeconds: number;
  units: number;
  buyers: number;
  gateway: string;
  skus: number;
  /**
   * Arrivals per second on a fixed schedule (open loop): place and checkout without it run the
   * closed loop; webhooks always posts at a rate (DEFAULT_WEBHOOK_RATE without it).
   */
  rate?: number;
  /** webhooks: parcels to set up; by default enough for the rate over the duration. */
  parcels?: number;
  /** The mode is run this many times; with more than one, each figure's median is printed at the end. */
  runs: number;
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
    runs: 1,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const next = (): string => argv[++index];
    const positive = (): number => {
      const value = Number(next());
      if (!(value > 0)) throw new Error(`${arg} takes a number above 0`);
      return value;
    };
    if ((MODES as readonly string[]).includes(arg)) options.mode = arg as Mode;
    else if (arg === '--concurrency') options.concurrency = positive();
    else if (arg === '--duration') options.durationSeconds = positive();
    else if (arg === '--units') options.units = Number(next());
    else if (arg === '--buyers') options.buyers = Number(next());
    else if (arg === '--skus') options.skus = Number(next());
    else if (arg === '--gateway') options.gateway = next();
    else if (arg === '--rate') options.rate = positive();
    else if (arg === '--parcels') options.parcels = Number(next());
    else if (arg === '--runs') options.runs = Math.floor(positive());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.rate !== undefined && !OPEN_LOOP_MODES.includes(options.mode)) {
    throw new Error(`--rate: ${options.mode} has no open loop (its buyers all arrive at once); place, checkout and webhooks take it`);
  }
  return options;
}

/** The rate webhooks posts at. */
export const webhookRate = (options: Options): number => options.rate ?? DEFAULT_WEBHOOK_RATE;

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
  return Math.max(DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE, Math.ceil(webhookRate(options) * 60 * 2));
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

/** The percentiles of `values`, printed as one line; with `figures`, also kept under `label p50 ms` and so on. */
export function latencyLine(label: string, values: number[], figures?: Figures): string {
  const sorted = [...values].sort((a, b) => a - b);
  const [p50, p95, p99, max] = [percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted.at(-1) ?? NaN];
  if (figures && sorted.length > 0) {
    for (const [name, value] of [
      ['p50', p50],
      ['p95', p95],
      ['p99', p99],
      ['max', max],
    ] as const) {
      figures.add(`${label.trim()} ${name} (ms)`, value);
    }
  }
  const f = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(1).padStart(7));
  return `${label.padEnd(30)} p50 ${f(p50)} ms   p95 ${f(p95)} ms   p99 ${f(p99)} ms   max ${f(max)} ms   (n=${sorted.length})`;
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

// ---------------------------------------------------------------------------------------------
// Where the suite's Kafka and PostgreSQL are
// ---------------------------------------------------------------------------------------------

/** This checkout's launcher state (`npm start` runs from the repository root, as `npm run bench` does). */
export const STATE_DIR = path.join(process.cwd(), '.mallard');

/**
 * How the instances of each service that runs more than one (a scale-out, MALLARD_INSTANCES)
 * divide its consumer group's partitions, as the broker has them assigned: a line per group,
 * each member's topics and partitions in brackets (the broker does not say which process is which).
 */
export async function partitionSplitLines(): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'bench-groups', brokers: suiteInfrastructure().kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups(Object.keys(SERVICES));
    return groups
      .filter((group) => group.members.length > 1)
      .map((group) => {
        const shares = group.members
          .map((member) => {
            const topics = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {};
            return Object.entries(topics)
              .map(([topic, partitions]) => `${topic} ${[...partitions].sort((a, b) => a - b).join(',')}`)
              .sort()
              .join('; ');
          })
          .sort();
        return `partitions of ${group.groupId.padEnd(16)}${group.members.length} instances: ${shares.map((share) => `[${share}]`).join(' ')}`;
      });
  } finally {
    await admin.disconnect();
  }
}

/**
 * The broker and database server the running suite uses: what `npm start` of this checkout
 * recorded in .mallard/run/infra.json, else the environment's, else the launcher's defaults.
 */
export function suiteInfrastructure(): { kafkaBrokers: string; databaseUrl: string } {
  let recorded: { kafkaBrokers?: string; databaseUrl?: string } = {};
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'run', 'infra.json'), 'utf8'));
  } catch {
    // not started by this checkout's launcher
  }
  return {
    kafkaBrokers: recorded.kafkaBrokers ?? process.env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS,
    databaseUrl: recorded.databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_PG_PROBE_URL,
  };
}

/** A service's own database on the suite's server, named as the launcher names it (SERVICES). */
export function serviceDatabaseUrl(service: ServiceName): string {
  const url = new URL(suiteInfrastructure().databaseUrl);
  url.pathname = `/${SERVICES[service].database}`;
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// The closed loop: a fixed number of requests out at once
// ---------------------------------------------------------------------------------------------

/** One unit of work sent and answered; in a closed loop it is meant to leave when it does. */
export interface Sample<T> {
  index: number;
  /** When it was meant to leave (performance.now(), ms); latency counts from here. */
  intendedAt: number;
  startedAt: number;
  answeredAt: number;
  result: T;
}

/**
 * `concurrency` workers, each sending the next unit of work (`next()`, undefined when there is no
 * more) as soon as its previous one is answered: the suite's pace sets the load, which is what a
 * throughput figure wants and what hides queueing from a latency figure (coordinated omission).
 */
export async function closedLoop<T>(
  concurrency: number,
  next: () => number | undefined,
  work: (index: number) => Promise<T>,
): Promise<{ samples: Sample<T>[]; seconds: number }> {
  const samples: Sample<T>[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next(); index !== undefined; index = next()) {
        const startedAt = performance.now();
        const result = await work(index);
        samples.push({ index, intendedAt: startedAt, startedAt, answeredAt: performance.now(), result });
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// The open loop: arrivals on a fixed schedule
// ---------------------------------------------------------------------------------------------

/** When arrival `index` (from 0) is meant to leave, on the clock of `startMs` (ms). */
export const intendedSendTime = (startMs: number, index: number, rate: number): number => startMs + (index * 1000) / rate;

/** How many arrivals a schedule of `rate` per second has within `seconds`: those meant to leave before the end. */
export const arrivalsWithin = (rate: number, seconds: number): number => Math.max(0, Math.ceil(rate * seconds - 1e-9));

export interface Arrival<T> extends Sample<T> {
  /** It waited for one of the requests already out to come back: the in-flight cap was full. */
  waitedForSlot: boolean;
}

/**
 * Its latency as a user saw it: from when it was meant to leave, so time it spent waiting behind
 * a slow suite counts (measuring from the actual send would hide it: coordinated omission).
 */
export const latencyFromIntended = (arrival: Pick<Arrival<unknown>, 'intendedAt' | 'answeredAt'>): number =>
  arrival.answeredAt - arrival.intendedAt;

/** How late it left against the schedule (ms): the load generator or the in-flight cap falling behind. */
export const sendLag = (arrival: Pick<Arrival<unknown>, 'intendedAt' | 'startedAt'>): number =>
  Math.max(0, arrival.startedAt - arrival.intendedAt);

/** An arrival whose send threw or rejected instead of answering: it went out, and no result came back. */
export interface FailedArrival extends Omit<Arrival<unknown>, 'result'> {
  error: string;
}

export interface OpenLoopRun<T> {
  /** The arrivals that were answered. */
  arrivals: Arrival<T>[];
  /** The arrivals whose send failed (threw or rejected): counted, and left out of the latencies. */
  failures: FailedArrival[];
  /** Arrivals the schedule had within the duration. */
  scheduled: number;
  /** Of those, the ones never sent: the in-flight cap was still full when the duration was up. */
  dropped: number;
  seconds: number;
}

/**
 * Sends arrival i at start + i / rate whatever has been answered, until `durationSeconds` is up,
 * with at most `maxInFlight` out at once: an arrival that finds them all out waits for one to
 * come back (late, and its latency from the intended time says so), and those still waiting when
 * the duration is up are dropped and counted. `limit` caps the arrivals (a finite set of requests).
 */
export async function openLoop<T>(
  schedule: { rate: number; durationSeconds: number; maxInFlight: number; limit?: number },
  send: (index: number) => Promise<T>,
): Promise<OpenLoopRun<T>> {
  const { rate, durationSeconds, maxInFlight } = schedule;
  const scheduled = Math.min(arrivalsWithin(rate, durationSeconds), schedule.limit ?? Number.POSITIVE_INFINITY);
  const arrivals: Arrival<T>[] = [];
  const failures: FailedArrival[] = [];
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  const outstanding = new Set<Promise<void>>();
  let sent = 0;
  for (let index = 0; index < scheduled; index += 1) {
    const intendedAt = intendedSendTime(started, index, rate);
    const wait = intendedAt - performance.now();
    // Behind schedule (a busy machine), the loop still yields once, so flights already answered
    // leave the set before the cap is judged full: a late arrival is not a held one.
    if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
    else await new Promise((resolve) => setImmediate(resolve));
    let waitedForSlot = false;
    while (outstanding.size >= maxInFlight) {
      waitedForSlot = true;
      await Promise.race(outstanding);
    }
    const startedAt = performance.now();
    // Held back by the cap past the end: it and the rest are dropped. One merely sent a little
    // late by a busy load generator still goes (its lateness shows in its latency).
    if (waitedForSlot && startedAt >= deadline) break;
    sent += 1;
    // A send that fails is an answer too: the loop goes on, and a flight always leaves the set.
    const flight: Promise<void> = new Promise<T>((resolve) => resolve(send(index)))
      .then(
        (result) => {
          arrivals.push({ index, intendedAt, startedAt, answeredAt: performance.now(), waitedForSlot, result });
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ index, intendedAt, startedAt, answeredAt: performance.now(), waitedForSlot, error: message });
        },
      )
      .finally(() => outstanding.delete(flight));
    outstanding.add(flight);
  }
  await Promise.all(outstanding);
  return { arrivals, failures, scheduled, dropped: scheduled - sent, seconds: (performance.now() - started) / 1000 };
}

/** Two lines on how an open loop went: the schedule against what was sent, and how far behind it fell. */
export function openLoopLines(run: OpenLoopRun<unknown>, schedule: { rate: number; maxInFlight: number }, figures?: Figures): string[] {
  const sent = [...run.arrivals, ...run.failures];
  const late = sent.filter((arrival) => arrival.waitedForSlot).length;
  figures?.add('open loop: dropped (count)', run.dropped);
  figures?.add('open loop: waited for the in-flight cap (count)', late);
  figures?.add('open loop: failed (count)', run.failures.length);
  const lines = [
    `open loop                      ${schedule.rate}/s scheduled: ${run.scheduled} arrivals, at most ${schedule.maxInFlight} out at once; ${sent.length} sent (${late} of them late, waiting for the cap), ${run.dropped} dropped (not sent before the end)`,
    latencyLine(
      'sent behind schedule by',
      sent.map((arrival) => sendLag(arrival)),
    ),
  ];
  if (run.failures.length > 0) {
    const errors = new Map<string, number>();
    for (const { error } of run.failures) errors.set(error, (errors.get(error) ?? 0) + 1);
    const listed = [...errors].map(([error, count]) => `${error} ×${count}`).join('; ');
    lines.push(`  failed (the send threw, no answer): ${run.failures.length}: ${listed}`);
  }
  if (run.dropped > 0 || late > sent.length / 100) {
    lines.push('  the rate is above what the suite answers with this cap: the tail is worse than the percentiles show (--rate lower)');
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Where the CPU goes (from /proc)
// ---------------------------------------------------------------------------------------------

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** What /proc/<pid>/stat says of a process: whose child it is and its CPU, in clock ticks. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** user and system time of the process (all its threads) */
  utime: number;
  stime: number;
  /** user and system time of its children that exited and were waited for */
  cutime: number;
  cstime: number;
  /** when it started (ticks after boot): a pid reused by another process has another */
  starttime: number;
}

export function parseProcStat(text: string): ProcStat {
  // Field 2, the command name, is in parentheses and may itself hold spaces and parentheses: the
  // fields after it are counted from the last ')'. fields[0] is field 3 (the state).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid: Number(text.slice(0, text.indexOf(' ('))),
    ppid: Number(fields[1]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
    cutime: Number(fields[13]),
    cstime: Number(fields[14]),
    starttime: Number(fields[19]),
  };
}

/** The inodes of the sockets listening on `port` in a /proc/net/tcp or /proc/net/tcp6 table. */
export function listeningSocketInodes(table: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== '0A') continue; // 0A: LISTEN
    if (Number.parseInt(fields[1].split(':')[1], 16) === port) inodes.push(fields[9]);
  }
  return inodes;
}

/** CPU time of the whole machine that was not idle, in clock ticks, from the `cpu` line of /proc/stat. */
export function machineBusyTicks(procStat: string): number {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) return NaN;
  // user nice system idle iowait irq softirq steal (guest time is counted in user already)
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + (steal ?? 0);
}

/**
 * A process's CPU with that of its children: its own, its reaped children's and its live
 * children's. PostgreSQL runs a process per connection; a backend that exits moves its time into
 * the postmaster's reaped-children count, so this total only grows, and the difference of two
 * readings is what the server spent between them, backends come and gone included.
 */
export function treeTicks(root: ProcStat, all: readonly ProcStat[]): number {
  const own = (stat: ProcStat): number => stat.utime + stat.stime + stat.cutime + stat.cstime;
  return own(root) + all.filter((stat) => stat.ppid === root.pid).reduce((sum, stat) => sum + own(stat), 0);
}

/** How readTrees sees processes: one's stat (undefined when it is gone), and every process's. */
export interface ProcReader {
  stat: (pid: number) => ProcStat | undefined;
  all: () => ProcStat[];
}

/**
 * treeTicks of each of `pids`, read so that no child is lost or counted twice. The scan of every
 * process is not one instant: a child reaped during it may be in neither its parent's reaped
 * count (read before) nor the scan (gone by its turn), or in both. So each root is read before
 * and after the scan, and a root whose reaped-children count moved in between is read again, up
 * to `maxTries` times (then the last reading stands, off by at most what was reaped meanwhile).
 * A root that is gone, or whose pid another process took, is left out.
 */
export function readTrees(pids: readonly number[], proc: ProcReader, maxTries = 5): Map<number, { root: ProcStat; ticks: number }> {
  const trees = new Map<number, { root: ProcStat; ticks: number }>();
  let pending = [...pids];
  for (let attempt = 1; pending.length > 0 && attempt <= maxTries; attempt += 1) {
    const before = pending.flatMap((pid) => proc.stat(pid) ?? []);
    const all = proc.all();
    pending = [];
    for (const first of before) {
      const root = proc.stat(first.pid);
      if (!root || root.starttime !== first.starttime) continue;
      const steady = root.cutime === first.cutime && root.cstime === first.cstime;
      if (steady || attempt === maxTries) trees.set(root.pid, { root, ticks: treeTicks(root, all) });
      else pending.push(root.pid);
    }
  }
  return trees;
}

function readProcStat(pid: number | string): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // gone meanwhile
  }
}

function readProcStats(): ProcStat[] {
  return fs.readdirSync('/proc').flatMap((entry) => (/^\d+$/.test(entry) ? (readProcStat(entry) ?? []) : []));
}

const PROC: ProcReader = { stat: readProcStat, all: readProcStats };

/**
 * Of the processes holding a port's listening sockets, the one that opened them: a child forked
 * with the socket (a worker, or a server process before it closes its copy) has a parent holding
 * the same one. Of several such (sockets opened apart), the lowest pid.
 */
export function listenerOf(
  holders: readonly { pid: number; socket: string }[],
  ppidOf: (pid: number) => number | undefined,
): number | undefined {
  const held = new Set(holders.map(({ pid, socket }) => `${pid} ${socket}`));
  const openers = holders.filter(({ pid, socket }) => !held.has(`${ppidOf(pid)} ${socket}`));
  const pids = (openers.length > 0 ? openers : holders).map(({ pid }) => pid);
  return pids.length > 0 ? Math.min(...pids) : undefined;
}

/**
 * The process listening on each of `ports` on this machine: the sockets in /proc/net/tcp{,6},
 * then one pass over every process's open files for them (needs to see /proc/<pid>/fd: the same
 * user, or root), and of the processes holding a port's sockets the one that opened them (listenerOf).
 */
function pidsListeningOn(ports: number[], stats: ReadonlyMap<number, ProcStat>): Map<number, number> {
  const portOfSocket = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6
    }
    for (const port of ports) for (const inode of listeningSocketInodes(text, port)) portOfSocket.set(`socket:[${inode}]`, port);
  }
  const holders = new Map<number, { pid: number; socket: string }[]>();
  if (portOfSocket.size === 0) return new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const socket = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
        const port = portOfSocket.get(socket);
        if (port !== undefined) holders.set(port, [...(holders.get(port) ?? []), { pid: Number(entry), socket }]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const pids = new Map<number, number>();
  for (const [port, ofPort] of holders) {
    // A process started after `stats` was read is read now.
    const pid = listenerOf(ofPort, (holder) => (stats.get(holder) ?? readProcStat(holder))?.ppid);
    if (pid !== undefined) pids.set(port, pid);
  }
  return pids;
}

const isLoopback = (host: string): boolean => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);

/** The processes whose CPU a run reports, found once by the port each listens on. */
export interface WatchedProcess {
  name: string;
  pid: number;
  starttime: number;
  kind: 'service' | 'kafka' | 'postgres' | 'load generator';
}

/** CPU seconds so far of each watched process (with its children), and of the whole machine. */
export interface CpuReading {
  at: number;
  seconds: Map<string, number>;
  machineSeconds: number;
}

export class CpuMeter {
  private constructor(
    readonly watched: WatchedProcess[],
    /** What could not be found, and so is missing from the figures. */
    readonly missing: string[],
  ) {}

  /**
   * Each service by its port (SERVICES), the Kafka broker and the PostgreSQL server of the suite
   * (suiteInfrastructure) when they run on this machine, and this process. By port, so it finds
   * a suite however it was started.
   */
  static locate(): CpuMeter {
    const stats = new Map(readProcStats().map((stat) => [stat.pid, stat]));
    const { kafkaBrokers, databaseUrl } = suiteInfrastructure();
    const [brokerHost, brokerPort] = kafkaBrokers.split(',')[0].split(/:(?=\d+$)/);
    const database = new URL(databaseUrl);
    const candidates: { name: string; kind: WatchedProcess['kind']; port?: number; pid?: number; optional?: boolean }[] = [
      ...Object.entries(SERVICES).flatMap(([name, { port }]) => [
        { name, kind: 'service' as const, port },
        // Further instances of a local scale-out (MALLARD_INSTANCES), where they run.
        ...Array.from({ length: MAX_LOCAL_INSTANCES - 1 }, (_, index) => ({
          name: `${name}-${index + 2}`,
          kind: 'service' as const,
          port: instancePort(port, index + 2),
          optional: true,
        })),
      ]),
      { name: 'Kafka broker', kind: 'kafka', port: isLoopback(brokerHost) ? Number(brokerPort) : undefined },
      { name: 'PostgreSQL', kind: 'postgres', port: isLoopback(database.hostname) ? Number(database.port || 5432) : undefined },
      { name: 'load generator', kind: 'load generator', pid: process.pid },
    ];
    const listeners = pidsListeningOn(
      candidates.flatMap((candidate) => (candidate.port === undefined ? [] : [candidate.port])),
      stats,
    );
    const watched: WatchedProcess[] = [];
    const missing: string[] = [];
    for (const { name, kind, port, optional, pid = port === undefined ? undefined : listeners.get(port) } of candidates) {
      const stat = pid === undefined ? undefined : stats.get(pid);
      if (stat) watched.push({ name, pid: stat.pid, starttime: stat.starttime, kind });
      else if (!optional) missing.push(name);
    }
    return new CpuMeter(watched, missing);
  }

  read(): CpuReading {
    const trees = readTrees(
      this.watched.map((proc) => proc.pid),
      PROC,
    );
    const seconds = new Map<string, number>();
    for (const proc of this.watched) {
      const tree = trees.get(proc.pid);
      // A process that is gone or restarted (its pid reused) is left out of the reading.
      if (tree && tree.root.starttime === proc.starttime) seconds.set(proc.name, tree.ticks / TICKS_PER_SECOND);
    }
    let machineSeconds = NaN;
    try {
      machineSeconds = machineBusyTicks(fs.readFileSync('/proc/stat', 'utf8')) / TICKS_PER_SECOND;
    } catch {
      // not Linux
    }
    return { at: performance.now(), seconds, machineSeconds };
  }

  /** CPU seconds the suite (every watched process but the load generator) spent between two readings. */
  suiteSeconds(before: CpuReading, after: CpuReading): number {
    let sum = 0;
    for (const proc of this.watched) {
      if (proc.kind === 'load generator') continue;
      const [a, b] = [before.seconds.get(proc.name), after.seconds.get(proc.name)];
      if (a !== undefined && b !== undefined) sum += b - a;
    }
    return sum;
  }

  /**
   * The suite's CPU in cores with nothing asked of it: 1 s windows, from the first until the last
   * three agree (the suite has finished what the set-up set off), at most `maxWindows`; the lowest.
   */
  async idleCores(maxWindows = 10): Promise<{ cores: number; settled: boolean }> {
    const windows: number[] = [];
    let previous = this.read();
    while (windows.length < maxWindows && !idleSettled(windows)) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const reading = this.read();
      windows.push(this.suiteSeconds(previous, reading) / ((reading.at - previous.at) / 1000));
      previous = reading;
    }
    return { cores: Math.min(...windows), settled: idleSettled(windows) };
  }

  /**
   * Waits until the suite is back to about its idle CPU (`idleCores`, measured before the load)
   * for half a second: what the load set off (holds, payments, splits, relays) has been done.
   * Gives up after `maxMs`: on a machine others use too it may never look idle.
   */
  async untilQuiet(idleCores: number, maxMs = 15_000): Promise<boolean> {
    const deadline = performance.now() + maxMs;
    let previous = this.read();
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const reading = this.read();
      const cores = this.suiteSeconds(previous, reading) / ((reading.at - previous.at) / 1000);
      if (cores <= idleCores * 1.5 + 0.05) return true;
      previous = reading;
    }
    return false;
  }
}

/**
 * Whether the last `count` idle windows (cores each) agree, within 0.05 cores and a quarter of the
 * lowest: the suite is no longer winding down from what came before.
 */
export function idleSettled(windows: readonly number[], count = 3): boolean {
  if (windows.length < count) return false;
  const last = windows.slice(-count);
  const lowest = Math.min(...last);
  return Math.max(...last) - lowest <= 0.05 + lowest / 4;
}

/** The CPU a measured stretch of a run took, from the reading before the load to the one after the suite went quiet. */
export interface CpuWindow {
  meter: CpuMeter;
  before: CpuReading;
  after: CpuReading;
  idleCores: number;
  /** The idle figure came from windows that agreed (idleSettled), not from running out of them. */
  idleSettled: boolean;
  loadSeconds: number;
  quiet: boolean;
}

/**
 * Runs `load` between two CPU readings: the first just before it, the second once the suite has
 * gone quiet after it, so work the load set off after its last answer counts too.
 */
export async function measureCpu<T>(meter: CpuMeter, load: () => Promise<T>): Promise<{ result: T; cpu: CpuWindow }> {
  const idle = await meter.idleCores();
  const before = meter.read();
  const result = await load();
  const loadSeconds = (performance.now() - before.at) / 1000;
  const quiet = await meter.untilQuiet(idle.cores);
  return { result, cpu: { meter, before, after: meter.read(), idleCores: idle.cores, idleSettled: idle.settled, loadSeconds, quiet } };
}

/** The watched processes a window has no reading of at one end: gone, or restarted (another process, or none, has their pid). */
export function lostDuring(
  watched: readonly WatchedProcess[],
  before: Pick<CpuReading, 'seconds'>,
  after: Pick<CpuReading, 'seconds'>,
): WatchedProcess[] {
  return watched.filter((proc) => !before.seconds.has(proc.name) || !after.seconds.has(proc.name));
}

/** Each watched process's CPU seconds in the window, the suite's and everyone's totals, and the rest of the machine. */
export function cpuRows(window: Pick<CpuWindow, 'meter' | 'before' | 'after'>): { name: string; seconds: number }[] {
  const rows: { name: string; seconds: number }[] = [];
  for (const proc of window.meter.watched) {
    const [a, b] = [window.before.seconds.get(proc.name), window.after.seconds.get(proc.name)];
    if (a !== undefined && b !== undefined) rows.push({ name: proc.name, seconds: b - a });
  }
  const suite = window.meter.suiteSeconds(window.before, window.after);
  const all = rows.reduce((sum, row) => sum + row.seconds, 0);
  const generator = rows.find((row) => row.name === 'load generator');
  const result = [...rows.filter((row) => row !== generator), { name: 'suite total', seconds: suite }];
  if (generator) result.push(generator);
  result.push({ name: 'total with the load generator', seconds: all });
  const machine = window.after.machineSeconds - window.before.machineSeconds;
  if (Number.isFinite(machine)) result.push({ name: 'rest of the machine', seconds: Math.max(0, machine - all) });
  return result;
}

/**
 * Prints the CPU per unit of work (an order placed, a checkout, a webhook) of each process and in
 * all, and keeps each as a figure `CPU <process> (ms/<unit>)`.
 */
export function printCpu(window: CpuWindow, units: number, unit: string, figures?: Figures): void {
  const rows = cpuRows(window);
  const wall = (window.after.at - window.before.at) / 1000;
  console.log(
    `${`CPU per ${unit}, from /proc`.padEnd(31)}${units} ${unit}s; ${window.loadSeconds.toFixed(1)} s of load, then ${(wall - window.loadSeconds).toFixed(1)} s until the suite was ${window.quiet ? 'back to idle' : 'measured anyway (it never looked idle)'}`,
  );
  const perUnit = (seconds: number): number => (seconds * 1000) / Math.max(units, 1);
  for (const row of rows) {
    const pids = window.meter.watched.find((proc) => proc.name === row.name);
    const name = pids ? `${row.name} (pid ${pids.pid}${pids.kind === 'postgres' ? ' and its backends' : ''})` : row.name;
    console.log(`  ${name.padEnd(42)} ${row.seconds.toFixed(2).padStart(7)} s   ${perUnit(row.seconds).toFixed(2).padStart(7)} ms/${unit}`);
    if (row.name !== 'rest of the machine') figures?.add(`CPU ${row.name} (ms/${unit})`, perUnit(row.seconds));
  }
  console.log(
    `  the suite idles at ${window.idleCores.toFixed(2)} cores (polling, relays, sweeps${window.idleSettled ? '' : '; it never settled before the load, so this is its lowest second'}): ${perUnit(window.idleCores * wall).toFixed(2)} ms/${unit} of the suite total over this window`,
  );
  if (window.meter.missing.length > 0) console.log(`  not found on this machine, so not counted: ${window.meter.missing.join(', ')}`);
  const lost = lostDuring(window.meter.watched, window.before, window.after);
  if (lost.length > 0) {
    console.log(
      `  WARNING: gone or restarted during the window, so not counted: ${lost.map((proc) => `${proc.name} (pid ${proc.pid})`).join(', ')}`,
    );
  }
  console.log(
    '  Kafka and PostgreSQL count all their work, for whoever else uses them; "rest of the machine" is work nobody above did: both must be near nothing for the figures to mean much',
  );
}

// ---------------------------------------------------------------------------------------------
// Figures of a run, and their medians over several (--runs)
// ---------------------------------------------------------------------------------------------

/** A run's figures by name (the name says the unit and the loop that produced it), in the order they were printed. */
export class Figures {
  readonly values = new Map<string, number>();

  add(name: string, value: number): void {
    if (Number.isFinite(value)) this.values.set(name, value);
  }
}

/** The middle value; for an even count the mean of the two middle ones; NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Every figure of every run with its median, in the order the first run printed them. */
export function medianTable(runs: readonly Figures[]): string[] {
  const names = [...new Set(runs.flatMap((figures) => [...figures.values.keys()]))];
  const width = Math.max(20, ...names.map((name) => name.length));
  const cell = (value: number | undefined): string =>
    (value === undefined || !Number.isFinite(value)
      ? '-'
      : Number.isInteger(value) || value >= 100
        ? value.toFixed(0)
        : value.toFixed(2)
    ).padStart(10);
  const lines = [`${'figure'.padEnd(width)} ${runs.map((_, index) => `run ${index + 1}`.padStart(10)).join(' ')} ${'median'.padStart(10)}`];
  for (const name of names) {
    const values = runs.map((figures) => figures.values.get(name));
    const present = values.filter((value): value is number => value !== undefined);
    lines.push(`${name.padEnd(width)} ${values.map(cell).join(' ')} ${cell(median(present))}`);
  }
  return lines;
}
