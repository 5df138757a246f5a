/**
 * Order placement benchmark: drives the running suite through the gateway, as front ends do.
 *
 *   npm run bench                                  # place mode, 64 concurrent, 30 s
 *   npm run bench -- place --concurrency 128 --duration 60
 *   npm run bench -- flash --units 100 --buyers 2000 --concurrency 200
 *   npm run bench -- checkout --concurrency 64 --duration 30
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
 * Starts the suite (`npm start`) when the gateway does not answer, and stops it afterwards
 * (bench/bench-kit.ts says with which settings).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { Topics } from '@mallard/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { createBench, latencyLine, orderBody, payWithPoints, setUpCatalog, startSuiteUnlessUp, statusCounts } from './bench-kit.js';
import { runWebhooks } from './webhooks.bench.js';

const bench = createBench(process.argv.slice(2));
const { options, runId, agent, tokens, call } = bench;

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

async function waitForOutcomes(outcomes: Map<string, unknown>, orderIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && orderIds.some((id) => !outcomes.has(id))) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function main(): Promise<void> {
  const suite = await startSuiteUnlessUp(bench);
  try {
    const admin = tokens.sign({ sub: `bench-admin-${runId}`, roles: ['admin'], ttlSeconds: 3600 });
    const buyerCount = options.mode === 'flash' ? options.buyers : Math.max(options.concurrency * 4, 500);
    const buyers = Array.from({ length: buyerCount }, (_, index) =>
      tokens.sign({ sub: `bench-${runId}-buyer-${index}`, roles: ['shopper'], ttlSeconds: 3600 }),
    );
    const rate = options.mode === 'webhooks' ? ` · target ${options.rate}/s` : '';
    console.log(
      `\nMallard benchmark · ${options.mode} · concurrency ${options.concurrency}${rate} · ${cpus().length} cores ${cpus()[0]?.model ?? ''} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    );

    if (options.mode === 'webhooks') {
      await runWebhooks(bench, admin, buyers, suite.started);
    } else if (options.mode === 'place') {
      const skuIds = await setUpCatalog(bench, admin, options.skus, 2_000_000, false);
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
      const skuIds = await setUpCatalog(bench, admin, options.skus, 2_000_000, false);
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
              const why = `place ${placed.status || placed.body.error}`;
              failures.set(why, (failures.get(why) ?? 0) + 1);
              continue;
            }
            const payable = (placed.body.amounts as { payable: number }).payable;
            const paid = await payWithPoints(bench, token, String(placed.body.id), payable);
            const t2 = performance.now();
            if (paid.status !== 201) {
              const why = `pay ${paid.status || paid.body.error}`;
              failures.set(why, (failures.get(why) ?? 0) + 1);
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
      const [skuId] = await setUpCatalog(bench, admin, 1, options.units, true);
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
    suite.stop();
  }
}

await main();
