/**
 * Order placement benchmark: drives the running suite through the gateway, as front ends do.
 *
 *   npm run bench                                  # place mode, closed loop of 64, 30 s
 *   npm run bench -- place --concurrency 128 --duration 60
 *   npm run bench -- place --rate 300 --duration 30          # open loop: 300 orders/s on schedule
 *   npm run bench -- place --runs 3                           # three runs and each figure's median
 *   npm run bench -- flash --units 100 --buyers 2000 --concurrency 200
 *   npm run bench -- checkout --concurrency 64 --duration 30
 *   npm run bench -- checkout --rate 100 --duration 30
 *   npm run bench -- webhooks --rate 600 --concurrency 64 --duration 30
 *
 * place: distinct shoppers place 1-line orders of plentiful reserve-on-order SKUs for the
 *   duration; prints orders/s, HTTP answer latency and placed → stock-held latency (HTTP
 *   answer to the stock.reserved event, read from Kafka).
 * flash: many shoppers race for a few units of one SKU; prints attempts/s and checks that
 *   exactly the stock was held and nothing was oversold (exit code 1 if it was).
 * checkout: each shopper places an order and pays it at once with loyalty points (granted at
 *   set-up); prints checkouts/s and the latency of both answers.
 * webhooks: carriers' signed tracking updates at a target rate (bench/webhooks.bench.ts).
 *
 * Without --rate, place and checkout run a closed loop (--concurrency requests out, each sent when
 * the one before is answered): the throughput figure. With --rate they run an open loop (arrivals
 * on a fixed schedule whatever the answers, at most --concurrency out at once; latency counted
 * from when each was meant to leave): the latency figures. Every mode prints the CPU per order
 * of each process (bench-kit.ts, printCpu); --runs N repeats the mode and prints the medians.
 *
 * Starts the suite (`npm start`) when the gateway does not answer, and stops it afterwards
 * (bench/bench-kit.ts says with which settings).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { Topics } from '@mallard/contracts';
import { Kafka, logLevel } from 'kafkajs';
import {
  type Bench,
  CpuMeter,
  closedLoop,
  createBench,
  Figures,
  latencyFromIntended,
  latencyLine,
  measureCpu,
  medianTable,
  openLoop,
  openLoopLines,
  orderBody,
  partitionSplitLines,
  payWithPoints,
  printCpu,
  type Sample,
  setUpCatalog,
  startSuiteUnlessUp,
  statusCounts,
  suiteInfrastructure,
  webhookRate,
} from './bench-kit.js';
import { runWebhooks } from './webhooks.bench.js';

const bench = createBench(process.argv.slice(2));
const { options, agent } = bench;

/** Listens for inventory's answers to our orders, from the moment the load starts. */
async function tapStockEvents(runId: string): Promise<{ outcomes: Map<string, { type: string; at: number }>; stop: () => Promise<void> }> {
  const kafka = new Kafka({
    clientId: `bench-${runId}`,
    brokers: suiteInfrastructure().kafkaBrokers.split(','),
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

async function waitForOutcomes(outcomes: Map<string, unknown>, orderIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && orderIds.some((id) => !outcomes.has(id))) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** One order placed through the gateway; the answer's status (0: none) and the order's id when placed. */
async function placeOrder(run: Bench, token: string, skuId: string): Promise<{ status: number; orderId?: string }> {
  const response = await run.call('POST', '/api/v1/orders', token, orderBody(skuId), { 'idempotency-key': randomUUID() });
  return { status: response.status, orderId: response.status === 201 ? String(response.body.id) : undefined };
}

/** Which loop a place or checkout run drives: the label of its figures. */
const loopName = (): 'closed loop' | 'open loop' => (options.rate === undefined ? 'closed loop' : 'open loop');

function describeLoop(what: string): string {
  return options.rate === undefined
    ? `closed: ${options.concurrency} at once, each ${what} sent when the one before is answered (the throughput figure)`
    : `open: ${options.rate} ${what}s/s on a fixed schedule whatever the answers, at most ${options.concurrency} out at once; latency from when each was meant to leave (the latency figures)`;
}

/**
 * `work` for the duration: in a closed loop of --concurrency, or with --rate in an open loop (its
 * report printed here). The samples of both say when each was meant to leave.
 */
async function load<T>(work: (index: number) => Promise<T>, figures: Figures): Promise<{ samples: Sample<T>[]; seconds: number }> {
  if (options.rate === undefined) {
    const deadline = performance.now() + options.durationSeconds * 1000;
    let counter = 0;
    return closedLoop(options.concurrency, () => (performance.now() < deadline ? counter++ : undefined), work);
  }
  const plan = { rate: options.rate, durationSeconds: options.durationSeconds, maxInFlight: options.concurrency };
  const run = await openLoop(plan, work);
  for (const line of openLoopLines(run, plan, figures)) console.log(line);
  return { samples: run.arrivals, seconds: run.seconds };
}

async function runPlace(run: Bench, admin: string, buyers: string[], meter: CpuMeter, figures: Figures): Promise<void> {
  const skuIds = await setUpCatalog(run, admin, options.skus, 2_000_000, false);
  const tap = await tapStockEvents(run.runId);
  const loop = loopName();
  console.log(`loop                           ${describeLoop('order')}`);
  for (const line of await partitionSplitLines()) console.log(line);
  const { result, cpu } = await measureCpu(meter, async () => {
    const loaded = await load((index) => placeOrder(run, buyers[index % buyers.length], skuIds[index % skuIds.length]), figures);
    const placed = loaded.samples.filter((sample) => sample.result.orderId);
    // Holding the stock is part of an order's cost: the CPU window runs until every answer is in.
    await waitForOutcomes(
      tap.outcomes,
      placed.map((sample) => sample.result.orderId!),
      15_000,
    );
    return { ...loaded, placed };
  });
  await tap.stop();
  const { samples, seconds, placed } = result;
  const held = placed.filter((sample) => tap.outcomes.get(sample.result.orderId!)?.type === 'stock.reserved');
  figures.add(`orders placed [${loop}] (/s)`, placed.length / seconds);
  figures.add(`orders with stock held [${loop}] (/s)`, held.length / seconds);
  console.log(
    `requests                       ${samples.length} in ${seconds.toFixed(1)} s   ${statusCounts(samples.map((s) => s.result))}`,
  );
  console.log(`orders placed                  ${(placed.length / seconds).toFixed(0)} orders/s [${loop}]`);
  console.log(`orders with stock held         ${held.length} of ${placed.length}   (${(held.length / seconds).toFixed(0)} orders/s)`);
  printAnswerLatency('HTTP answer (place)', samples, figures);
  console.log(
    latencyLine(
      'placed → stock held',
      held.map((s) => tap.outcomes.get(s.result.orderId!)!.at - s.answeredAt),
      figures,
    ),
  );
  printCpu(cpu, placed.length, 'order', figures);
}

/** The latency of the answers; in an open loop from when each request was meant to leave, and also from when it did. */
function printAnswerLatency(label: string, samples: Sample<unknown>[], figures: Figures): void {
  if (options.rate === undefined) {
    console.log(latencyLine(`${label} [closed]`, samples.map(latencyFromIntended), figures));
    return;
  }
  console.log(latencyLine(`${label} [open]`, samples.map(latencyFromIntended), figures));
  console.log(
    latencyLine(
      '  from the actual send',
      samples.map((sample) => sample.answeredAt - sample.startedAt),
    ),
  );
}

async function runCheckout(run: Bench, admin: string, buyers: string[], meter: CpuMeter, figures: Figures): Promise<void> {
  const skuIds = await setUpCatalog(run, admin, options.skus, 2_000_000, false);
  for (let index = 0; index < buyers.length; index += 1) {
    const grant = await run.call('POST', '/api/v1/admin/points/grants', admin, {
      buyerId: `bench-${run.runId}-buyer-${index}`,
      points: 1_000_000_000,
      reason: 'benchmark',
    });
    if (grant.status !== 201) throw new Error(`points grant: ${grant.status} ${JSON.stringify(grant.body)}`);
  }
  const loop = loopName();
  console.log(`loop                           ${describeLoop('checkout')}`);
  for (const line of await partitionSplitLines()) console.log(line);
  const checkout = async (index: number): Promise<{ failure?: string; placedAt: number }> => {
    const token = buyers[index % buyers.length];
    const placed = await run.call('POST', '/api/v1/orders', token, orderBody(skuIds[index % skuIds.length]), {
      'idempotency-key': randomUUID(),
    });
    const placedAt = performance.now();
    if (placed.status !== 201) return { failure: `place ${placed.status || placed.body.error}`, placedAt };
    const payable = (placed.body.amounts as { payable: number }).payable;
    const paid = await payWithPoints(run, token, String(placed.body.id), payable);
    if (paid.status !== 201) return { failure: `pay ${paid.status || paid.body.error}`, placedAt };
    return { placedAt };
  };
  const { result, cpu } = await measureCpu(meter, () => load(checkout, figures));
  const { samples, seconds } = result;
  const done = samples.filter((sample) => !sample.result.failure);
  const failures = new Map<string, number>();
  for (const { result: outcome } of samples) if (outcome.failure) failures.set(outcome.failure, (failures.get(outcome.failure) ?? 0) + 1);
  figures.add(`checkouts [${loop}] (/s)`, done.length / seconds);
  console.log(
    `checkouts (place + pay)        ${done.length} in ${seconds.toFixed(1)} s   ${(done.length / seconds).toFixed(0)} checkouts/s [${loop}]   failures ${JSON.stringify(Object.fromEntries(failures))}`,
  );
  const tag = options.rate === undefined ? '[closed]' : '[open]';
  console.log(
    latencyLine(
      `HTTP answer (place) ${tag}`,
      done.map((s) => s.result.placedAt - s.intendedAt),
      figures,
    ),
  );
  console.log(
    latencyLine(
      `HTTP answer (pay) ${tag}`,
      done.map((s) => s.answeredAt - s.result.placedAt),
      figures,
    ),
  );
  printAnswerLatency('checkout (place+pay)', done, figures);
  printCpu(cpu, done.length, 'checkout', figures);
}

async function runFlash(run: Bench, admin: string, buyers: string[], meter: CpuMeter, figures: Figures): Promise<void> {
  const [skuId] = await setUpCatalog(run, admin, 1, options.units, true);
  const tap = await tapStockEvents(run.runId);
  let counter = 0;
  const { result, cpu } = await measureCpu(meter, async () => {
    const loaded = await closedLoop(
      options.concurrency,
      () => (counter < buyers.length ? counter++ : undefined),
      (index) => placeOrder(run, buyers[index], skuId),
    );
    const placed = loaded.samples.filter((sample) => sample.result.orderId);
    await waitForOutcomes(
      tap.outcomes,
      placed.map((sample) => sample.result.orderId!),
      30_000,
    );
    return { ...loaded, placed };
  });
  await tap.stop();
  const { samples, seconds, placed } = result;
  const held = placed.filter((sample) => tap.outcomes.get(sample.result.orderId!)?.type === 'stock.reserved').length;
  const refused = placed.filter((sample) => tap.outcomes.get(sample.result.orderId!)?.type === 'stock.reservation-failed').length;
  const stock = (await run.call('GET', `/api/v1/admin/skus/${skuId}/stock`, admin)).body as {
    totals?: { onHand: number; held: number; available: number };
  };
  const totals = stock.totals ?? { onHand: NaN, held: NaN, available: NaN };
  const oversold = held > options.units || totals.held > totals.onHand || totals.available < 0;
  figures.add('attempts [closed loop] (/s)', samples.length / seconds);
  figures.add('orders with stock held (count)', held);
  console.log(
    `attempts                       ${samples.length} in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(0)} attempts/s) [closed loop]   ${statusCounts(samples.map((s) => s.result))}`,
  );
  console.log(latencyLine('HTTP answer (place) [closed]', samples.map(latencyFromIntended), figures));
  console.log(`units on sale                  ${options.units}`);
  console.log(`orders with stock held         ${held}`);
  console.log(`orders refused for stock       ${refused}`);
  console.log(`orders without an answer       ${placed.length - held - refused}`);
  console.log(`stock after                    on hand ${totals.onHand}  held ${totals.held}  available ${totals.available}`);
  console.log(`oversold                       ${oversold ? 'YES' : 'no'}`);
  printCpu(cpu, samples.length, 'attempt', figures);
  if (oversold || held !== Math.min(options.units, placed.length)) process.exitCode = 1;
}

async function main(): Promise<void> {
  const suite = await startSuiteUnlessUp(bench);
  const runs: Figures[] = [];
  try {
    const meter = CpuMeter.locate();
    const rate = options.mode === 'webhooks' ? webhookRate(options) : options.rate;
    const loop = rate === undefined ? `concurrency ${options.concurrency}` : `open loop ${rate}/s, at most ${options.concurrency} out`;
    console.log(
      `\nMallard benchmark · ${options.mode} · ${loop} · ${options.durationSeconds} s${options.runs > 1 ? ` · ${options.runs} runs` : ''} · ${cpus().length} cores ${cpus()[0]?.model ?? ''} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    );
    for (let number = 1; number <= options.runs; number += 1) {
      // Each run its own SKUs and shoppers, so no run starts from another's leftovers.
      const run: Bench = { ...bench, runId: options.runs > 1 ? `${bench.runId}r${number}` : bench.runId };
      if (options.runs > 1) console.log(`\n── run ${number} of ${options.runs}`);
      const figures = new Figures();
      const admin = run.tokens.sign({ sub: `bench-admin-${run.runId}`, roles: ['admin'], ttlSeconds: 3600 });
      const buyerCount = options.mode === 'flash' ? options.buyers : Math.max(options.concurrency * 4, 500);
      const buyers = Array.from({ length: buyerCount }, (_, index) =>
        run.tokens.sign({ sub: `bench-${run.runId}-buyer-${index}`, roles: ['shopper'], ttlSeconds: 3600 }),
      );
      if (options.mode === 'webhooks') await runWebhooks(run, admin, buyers, suite.started, meter, figures);
      else if (options.mode === 'place') await runPlace(run, admin, buyers, meter, figures);
      else if (options.mode === 'checkout') await runCheckout(run, admin, buyers, meter, figures);
      else await runFlash(run, admin, buyers, meter, figures);
      runs.push(figures);
    }
    if (options.runs > 1) {
      console.log(`\nEach figure of the ${options.runs} runs, and its median`);
      for (const line of medianTable(runs)) console.log(`  ${line}`);
    }
  } finally {
    await agent.close();
    suite.stop();
  }
}

await main();
